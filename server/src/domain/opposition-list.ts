/**
 * Reading an opposition list (Bloctel's telephone list, or any do-not-contact export) one line at a time:
 * one identifier per line, or a CSV file whose header names the identifier column. Lists run to hundreds
 * of thousands of lines, so nothing here holds more than the current line; turning the text into
 * identifiers (E.164, lowercased email) is the caller's job.
 *
 * Quoted CSV fields are supported within a line only: an identifier never contains a line break, and a
 * stray quote then spoils one line instead of swallowing the rest of the file.
 */

/** Longer lines are not identifiers: counted invalid, and never buffered whole. */
export const MAX_LINE_LENGTH = 1024;

export type IdentifierKind = 'phone' | 'email';

/** A data line: the identifier text as found (trimmed), or why the line could not be read. */
export type ListEntry = { line: number; value: string } | { line: number; invalid: string };

export interface ListColumn {
  index: number;
  /** The header's spelling, or null for a list without a header row. */
  name: string | null;
  /** What the header name says the column holds, when it says so. */
  kind: IdentifierKind | null;
}

/** A list that cannot be read at all (as opposed to a bad line, which is only counted). */
export class ListFormatError extends Error {
  constructor(
    message: string,
    readonly path: string
  ) {
    super(message);
    this.name = 'ListFormatError';
  }
}

/** Marks a line that was cut off at MAX_LINE_LENGTH. */
export const OVERLONG = Symbol('overlong line');
export type SplitLine = string | typeof OVERLONG;

/**
 * Splits decoded text chunks into lines on LF, CRLF or a lone CR (classic Mac CSV exports), also when a
 * chunk ends between CR and LF. An overlong line is dropped up to its end and reported once.
 */
export class LineSplitter {
  private current = '';
  private overlong = false;
  private afterCr = false;

  *push(chunk: string): Generator<SplitLine> {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 10 && this.afterCr && i === start && this.current === '' && !this.overlong) {
        // The LF of a CRLF whose CR ended the previous line (possibly in the previous chunk).
        this.afterCr = false;
        start = i + 1;
        continue;
      }
      yield this.take(chunk.slice(start, i));
      this.afterCr = c === 13;
      start = i + 1;
    }
    if (start < chunk.length) {
      this.afterCr = false;
      this.append(chunk.slice(start));
    }
  }

  *end(): Generator<SplitLine> {
    if (this.current !== '' || this.overlong) yield this.take('');
  }

  private append(text: string) {
    if (this.overlong) return;
    if (this.current.length + text.length > MAX_LINE_LENGTH) {
      this.overlong = true;
      this.current = '';
    } else {
      this.current += text;
    }
  }

  private take(tail: string): SplitLine {
    this.append(tail);
    const line: SplitLine = this.overlong ? OVERLONG : this.current;
    this.current = '';
    this.overlong = false;
    return line;
  }
}

const SEPARATORS = [';', ',', '\t'] as const;

/** Splits one line on `separator`, honouring double-quoted fields (`""` inside quotes is a quote). */
export const splitFields = (line: string, separator: string | null): string[] | null => {
  if (separator === null) return [unquote(line.trim())];
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return null;
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      fields.push(value.trim());
      if (i >= line.length) return fields;
      if (line[i] !== separator) return null;
      i++;
    } else {
      const next = line.indexOf(separator, i);
      if (next < 0) {
        fields.push(line.slice(i).trim());
        return fields;
      }
      fields.push(line.slice(i, next).trim());
      i = next + 1;
    }
  }
};

// A single value may still be quoted (`"0612345678"`), as spreadsheets write text cells.
const unquote = (value: string) =>
  value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/""/g, '"') : value;

/** The separator a line uses: the most frequent of `;`, `,` and tab outside quotes; none for one column. */
export const detectSeparator = (line: string): string | null => {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (SEPARATORS as readonly string[]).includes(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const s of SEPARATORS) if ((counts.get(s) ?? 0) > (best ? counts.get(best)! : 0)) best = s;
  return best;
};

/** `Numéro de téléphone` → `numerodetelephone`: header names compared without case, accents or spacing. */
export const headerKey = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const PHONE_EXACT = new Set(['tel', 'gsm', 'msisdn', 'portable', 'handy', 'rufnummer', 'cell']);
const PHONE_PARTS = ['phone', 'telephone', 'telefon', 'numero', 'number', 'nummer', 'mobile', 'mobil'];
const EMAIL_PARTS = ['email', 'mail', 'courriel'];

/** What a header name says its column holds; null when it is not a name for an identifier. */
export const columnKind = (name: string): IdentifierKind | null => {
  // Data, not a name: an address, or a number (`+33…`, `06…`).
  if (name.includes('@') || /^[+0-9(]/.test(name.trim())) return null;
  const key = headerKey(name);
  if (!key) return null;
  if (EMAIL_PARTS.some((p) => key.includes(p))) return 'email';
  if (PHONE_EXACT.has(key) || PHONE_PARTS.some((p) => key.includes(p))) return 'phone';
  return null;
};

export interface ParserOptions {
  /** The header name of the identifier column (`?column=`), when the list has several. */
  column?: string;
  /** The kind the channel needs, to pick a column when the header has both phone and email. */
  kind?: IdentifierKind;
}

/**
 * Turns the lines of a list into entries. The first line that is not blank or a comment decides the
 * format: its separator (`;`, `,`, tab or none) and whether it is a header (it names an identifier
 * column, or the requested `column`). Without a header, the identifier is the first column.
 */
export class OppositionListParser {
  private lineNo = 0;
  private separator: string | null = null;
  private started = false;
  private chosen: ListColumn | null = null;

  constructor(private readonly options: ParserOptions = {}) {}

  /** The identifier column, once the first significant line was seen. */
  get column(): ListColumn | null {
    return this.chosen;
  }

  /** One line (without its line break): an entry, or null for a header, blank or comment line. */
  parse(raw: SplitLine): ListEntry | null {
    this.lineNo++;
    const line = this.lineNo;
    if (raw === OVERLONG) return { line, invalid: `is longer than ${MAX_LINE_LENGTH} characters` };
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return null;

    if (!this.started) {
      this.started = true;
      this.separator = detectSeparator(text);
      const fields = splitFields(text, this.separator);
      if (fields && this.readHeader(fields)) return null;
      if (this.options.column !== undefined) {
        throw new ListFormatError(
          `The list has no header row naming the column "${this.options.column}" (its first line is not a header)`,
          'column'
        );
      }
      this.chosen = { index: 0, name: null, kind: null };
    }

    const fields = splitFields(text, this.separator);
    if (!fields) return { line, invalid: 'has an unclosed quote' };
    if (fields.every((f) => f === '')) return null;
    const { index } = this.chosen!;
    if (index >= fields.length) return { line, invalid: `has no column ${index + 1}` };
    const value = fields[index];
    if (value === '') return { line, invalid: 'has no identifier' };
    return { line, value };
  }

  /** Picks the identifier column if `fields` is a header; false when it is data. */
  private readHeader(fields: string[]): boolean {
    const { column, kind } = this.options;
    if (column !== undefined) {
      const wanted = headerKey(column);
      const index = fields.findIndex((f) => headerKey(f) === wanted);
      if (index >= 0) {
        this.chosen = { index, name: fields[index], kind: columnKind(fields[index]) };
        return true;
      }
    }
    const kinds = fields.map(columnKind);
    if (kinds.every((k) => k === null)) return false;
    if (column !== undefined) {
      throw new ListFormatError(
        `The header has no column "${column}" (it has: ${fields.filter((f) => f !== '').join(', ')})`,
        'column'
      );
    }
    const index = kind ? kinds.indexOf(kind) : kinds.findIndex((k) => k !== null);
    if (index < 0) {
      throw new ListFormatError(
        `The header names no ${kind === 'email' ? 'email' : 'phone'} column (it has: ${fields.filter((f) => f !== '').join(', ')}); name it with ?column=`,
        'column'
      );
    }
    this.chosen = { index, name: fields[index], kind: kinds[index] };
    return true;
  }
}

/**
 * The set of identifier hashes already met in one import, to tell a line repeating an earlier one from an
 * entry that was in the database before. It keeps 64 bits of each HMAC in an open-addressing table
 * (16 bytes an entry at most), not the hex strings (over 100 bytes each in a JS Set). A collision (about
 * 1 in 10^8 for a million entries) can only make an entry be counted as a repeat instead of already
 * present: what is inserted never depends on it.
 */
export class HashPrefixSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 12) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.mask = size - 1;
  }

  get size() {
    return this.count;
  }

  has(hex: string): boolean {
    const [hi, lo] = prefix(hex);
    for (let i = hi & this.mask; ; i = (i + 1) & this.mask) {
      if (this.lo[i] === 0) return false;
      if (this.lo[i] === lo && this.hi[i] === hi) return true;
    }
  }

  /** Adds the hash; false when it was already there. */
  add(hex: string): boolean {
    const [hi, lo] = prefix(hex);
    if (!this.insert(hi, lo)) return false;
    if (++this.count * 2 > this.lo.length) this.grow();
    return true;
  }

  private insert(hi: number, lo: number): boolean {
    for (let i = hi & this.mask; ; i = (i + 1) & this.mask) {
      if (this.lo[i] === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        return true;
      }
      if (this.lo[i] === lo && this.hi[i] === hi) return false;
    }
  }

  private grow() {
    const { hi, lo } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(lo.length * 2);
    this.mask = this.lo.length - 1;
    for (let i = 0; i < lo.length; i++) if (lo[i] !== 0) this.insert(hi[i], lo[i]);
  }
}

// The low word has its lowest bit set so that 0 can mark an empty slot.
const prefix = (hex: string): [number, number] => [
  parseInt(hex.slice(0, 8), 16) >>> 0,
  (parseInt(hex.slice(8, 16), 16) | 1) >>> 0,
];
