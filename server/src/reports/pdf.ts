/**
 * A minimal PDF 1.4 writer for the compliance report (issue 22): text pages on A4 in the standard fonts
 * (Helvetica, Helvetica-Bold, Courier; WinAnsi encoding, so every PDF reader has them without embedding),
 * word wrap, page breaks and page numbers. No dependency: the report needs text, nothing else. Content
 * streams are left uncompressed so the text, the hash above all, can be found in the file as it is.
 */

export type PdfStyle = 'title' | 'heading' | 'subheading' | 'body' | 'small' | 'mono';

export interface PdfBlock {
  text: string;
  style?: PdfStyle;
  /** Left indent in points. */
  indent?: number;
}

const PAGE = { width: 595.28, height: 841.89, margin: 56 } as const;
const FOOTER_Y = 30;

const FONTS = { regular: 'F1', bold: 'F2', mono: 'F3' } as const;
const STYLES: Record<PdfStyle, { font: keyof typeof FONTS; size: number; before: number }> = {
  title: { font: 'bold', size: 18, before: 0 },
  heading: { font: 'bold', size: 13, before: 14 },
  subheading: { font: 'bold', size: 10.5, before: 8 },
  body: { font: 'regular', size: 9.5, before: 2 },
  small: { font: 'regular', size: 8, before: 1 },
  mono: { font: 'mono', size: 7.5, before: 1 },
};

// Helvetica advance widths (1/1000 em) of the printable ASCII characters 32–126, from the font's AFM.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];
const HELVETICA_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611,
  556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389,
  280, 389, 584,
];

// The WinAnsi (CP-1252) code points above Latin-1's range; the rest of 0xA0–0xFF is Latin-1 itself.
const WIN_ANSI_EXTRA: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
};

/** A character's WinAnsi byte; `?` for what the encoding cannot show (the JSON keeps the exact text). */
const winAnsi = (ch: string): number => {
  const code = ch.codePointAt(0)!;
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return WIN_ANSI_EXTRA[ch] ?? 0x3f;
};

const charWidth = (ch: string, font: keyof typeof FONTS): number => {
  if (font === 'mono') return 600;
  const code = ch.codePointAt(0)!;
  const table = font === 'bold' ? HELVETICA_BOLD : HELVETICA;
  // Accented Latin letters are about as wide as their base letters; 556 is Helvetica's typical width.
  return code >= 32 && code <= 126 ? table[code - 32] : 556;
};

const textWidth = (text: string, font: keyof typeof FONTS, size: number) =>
  ([...text].reduce((w, ch) => w + charWidth(ch, font), 0) * size) / 1000;

/** Splits at spaces to fit `width`; a word longer than a line (a hash, a JWS) is cut where it must be. */
export const wrap = (text: string, font: keyof typeof FONTS, size: number, width: number): string[] => {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\t/g, '    ').split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(candidate, font, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (textWidth(rest, font, size) > width) {
        let cut = 1;
        while (cut < rest.length && textWidth(rest.slice(0, cut + 1), font, size) <= width) cut += 1;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
};

/** A PDF literal string: WinAnsi bytes, with `\`, `(`, `)` escaped and bytes outside ASCII in octal. */
const literal = (text: string) => {
  let out = '(';
  for (const ch of text) {
    const b = winAnsi(ch);
    if (b === 0x5c || b === 0x28 || b === 0x29) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x80) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
};

interface PlacedLine {
  text: string;
  font: keyof typeof FONTS;
  size: number;
  x: number;
  y: number;
}

const layout = (blocks: PdfBlock[]): PlacedLine[][] => {
  const pages: PlacedLine[][] = [[]];
  const top = PAGE.height - PAGE.margin;
  let y = top;
  for (const block of blocks) {
    const style = STYLES[block.style ?? 'body'];
    const indent = block.indent ?? 0;
    const leading = style.size * 1.3;
    const lines = wrap(block.text, style.font, style.size, PAGE.width - 2 * PAGE.margin - indent);
    // A heading never ends a page: it moves to the next with at least two lines of what it heads.
    const keep = style.font === 'bold' ? leading * 3 : leading;
    if (y !== top) y -= style.before;
    if (y - keep < PAGE.margin) {
      pages.push([]);
      y = top;
    }
    for (const text of lines) {
      if (y - leading < PAGE.margin) {
        pages.push([]);
        y = top;
      }
      y -= leading;
      pages[pages.length - 1].push({ text, font: style.font, size: style.size, x: PAGE.margin + indent, y });
    }
  }
  return pages;
};

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

/** The PDF file of `blocks`, with `footer` and the page number at the foot of every page. */
export const pdfDocument = (blocks: PdfBlock[], meta: { title: string; footer: string; createdAt?: Date }): Buffer => {
  const pages = layout(blocks);
  const objects: string[] = [];
  const add = (body: string) => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add('');
  const pagesId = add('');
  const fontIds = {
    regular: add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'),
    bold: add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>'),
    mono: add('<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>'),
  };
  const resources = `<< /Font << ${(Object.keys(FONTS) as Array<keyof typeof FONTS>).map((f) => `/${FONTS[f]} ${fontIds[f]} 0 R`).join(' ')} >> >>`;
  const kids: number[] = [];
  pages.forEach((lines, i) => {
    const footer = `${meta.footer} - page ${i + 1} of ${pages.length}`;
    const ops = [...lines, { text: footer, font: 'regular' as const, size: 7, x: PAGE.margin, y: FOOTER_Y }].map(
      (l) => `BT /${FONTS[l.font]} ${fmt(l.size)} Tf ${fmt(l.x)} ${fmt(l.y)} Td ${literal(l.text)} Tj ET`
    );
    const stream = `${ops.join('\n')}\n`;
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}endstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${fmt(PAGE.width)} ${fmt(PAGE.height)}] /Resources ${resources} /Contents ${content} 0 R >>`
      )
    );
  });
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesId} 0 R >>`;
  objects[pagesId - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const created = (meta.createdAt ?? new Date()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const info = add(
    `<< /Title ${literal(meta.title)} /Producer (strapi-plugin-consent) /CreationDate (D:${created}Z) >>`
  );

  // Built as latin1 text: every byte above is 7-bit, the content streams escape the rest in octal.
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
};
