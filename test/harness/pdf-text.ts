import { inflateSync } from 'node:zlib';

/**
 * Reads the text back out of a PDF, as a reader's "copy text" would, for tests: every content stream
 * (inflated when FlateDecode), its literal and hex strings shown by Tj/TJ/'/" decoded from WinAnsi, one
 * line per text object. Written from the PDF 1.7 reference (7.3.4 strings, 9.4 text operators, D.2
 * WinAnsiEncoding), independently of the plugin's writer, so a writer bug shows here.
 */
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};
const decodeByte = (b: number) => WIN_ANSI_HIGH[b] ?? String.fromCharCode(b);

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };

/** A literal string starting at `s[i] === '('`: its bytes and the index after its closing parenthesis. */
const readLiteral = (s: string, start: number): [number[], number] => {
  const bytes: number[] = [];
  let depth = 0;
  let i = start;
  for (; i < s.length; i += 1) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (/[0-7]/.test(next)) {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1))![0];
        bytes.push(parseInt(oct, 8) & 0xff);
        i += oct.length;
      } else if (next === '\n') i += 1;
      else {
        bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
        i += 1;
      }
      continue;
    }
    if (c === '(') {
      depth += 1;
      if (depth === 1) continue;
    } else if (c === ')') {
      depth -= 1;
      if (depth === 0) return [bytes, i + 1];
    }
    bytes.push(c.charCodeAt(0));
  }
  throw new Error('unterminated PDF string');
};

const streamsOf = (pdf: Buffer): string[] => {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  const re = /<<((?:(?!>>)[\s\S])*?)>>\s*stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const dict = m[1];
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const begin = m.index + m[0].length;
    const raw = pdf.subarray(begin, begin + length);
    out.push((/\/FlateDecode/.test(dict) ? inflateSync(raw) : raw).toString('latin1'));
  }
  return out;
};

/** The text of every page, in content order, lines joined with "\n". */
export const pdfText = (pdf: Buffer): string => {
  const lines: string[] = [];
  for (const content of streamsOf(pdf)) {
    let line = '';
    for (let i = 0; i < content.length; i += 1) {
      const c = content[i];
      if (c === '(') {
        const [bytes, next] = readLiteral(content, i);
        line += bytes.map(decodeByte).join('');
        i = next - 1;
      } else if (c === '<' && content[i + 1] !== '<') {
        const end = content.indexOf('>', i);
        const hex = content.slice(i + 1, end).replace(/\s/g, '');
        for (let h = 0; h < hex.length; h += 2) line += decodeByte(parseInt(hex.slice(h, h + 2).padEnd(2, '0'), 16));
        i = end;
      } else if (content.startsWith('ET', i) && /\s|$/.test(content[i + 2] ?? '')) {
        lines.push(line);
        line = '';
        i += 1;
      }
    }
    if (line) lines.push(line);
  }
  return lines.join('\n');
};
