/**
 * Reading opposition lists (C6: the Bloctel telephone list; spec 4.3 import): one identifier per line or
 * a CSV column, whatever the separator, quoting, BOM or line endings, never holding more than a line.
 */
import { createHash } from 'node:crypto';
import {
  columnKind,
  detectSeparator,
  HashPrefixSet,
  LineSplitter,
  ListFormatError,
  MAX_LINE_LENGTH,
  OppositionListParser,
  OVERLONG,
  splitFields,
  type ListEntry,
  type ParserOptions,
} from '../../server/src/domain/opposition-list';

/** Feeds `chunks` through the splitter and parser as the import does. */
const read = (chunks: string | string[], options: ParserOptions = {}) => {
  const splitter = new LineSplitter();
  const parser = new OppositionListParser(options);
  const entries: ListEntry[] = [];
  const take = (e: ListEntry | null) => e && entries.push(e);
  for (const chunk of Array.isArray(chunks) ? chunks : [chunks])
    for (const line of splitter.push(chunk)) take(parser.parse(line));
  for (const line of splitter.end()) take(parser.parse(line));
  return { entries, values: entries.map((e) => ('value' in e ? e.value : `!${e.invalid}`)), column: parser.column };
};

describe('LineSplitter (C6)', () => {
  const lines = (chunks: string[]) => {
    const s = new LineSplitter();
    const out: unknown[] = [];
    for (const c of chunks) out.push(...s.push(c));
    out.push(...s.end());
    return out;
  };

  it.each([
    ['LF', ['a\nb\n'], ['a', 'b']],
    ['CRLF', ['a\r\nb\r\n'], ['a', 'b']],
    ['lone CR (classic Mac)', ['a\rb\r'], ['a', 'b']],
    ['no final line break', ['a\nb'], ['a', 'b']],
    ['CRLF split between chunks', ['a\r', '\nb\r', '\n'], ['a', 'b']],
    ['a line split over chunks', ['06 12', ' 34 56', ' 78\n'], ['06 12 34 56 78']],
    ['blank lines kept (the parser skips them)', ['a\r\n\r\nb'], ['a', '', 'b']],
  ])('%s', (_name, chunks, expected) => {
    expect(lines(chunks)).toEqual(expected);
  });

  it('cuts an overlong line without buffering it, and goes on with the next', () => {
    const long = 'x'.repeat(MAX_LINE_LENGTH + 1);
    expect(lines([long.slice(0, 600), long.slice(600), '\nok\n'])).toEqual([OVERLONG, 'ok']);
    expect(lines(['x'.repeat(MAX_LINE_LENGTH)])).toEqual(['x'.repeat(MAX_LINE_LENGTH)]);
  });
});

describe('CSV fields', () => {
  it.each([
    ['0612345678', null, ['0612345678']],
    ['"0612345678"', null, ['0612345678']],
    ['a;b;c', ';', ['a', 'b', 'c']],
    [' a , "b,c" ,d', ',', ['a', 'b,c', 'd']],
    ['"say ""hi""";x', ';', ['say "hi"', 'x']],
    ['a;;', ';', ['a', '', '']],
  ])('%j split on %j', (line, separator, expected) => {
    expect(splitFields(line, separator)).toEqual(expected);
  });

  it('refuses an unclosed quote or text after a closing quote', () => {
    expect(splitFields('"0612;x', ';')).toBeNull();
    expect(splitFields('"06"12;x', ';')).toBeNull();
  });

  it.each([
    ['phone', null],
    ['id;phone;email', ';'],
    ['id,phone', ','],
    ['id\tphone', '\t'],
    ['"Nom; Prénom",phone,email', ','],
  ])('separator of %j is %j', (line, expected) => {
    expect(detectSeparator(line)).toBe(expected);
  });

  it.each([
    ['phone', 'phone'],
    ['Téléphone', 'phone'],
    ['NUMERO', 'phone'],
    ['Numéro de téléphone', 'phone'],
    ['phone_number', 'phone'],
    ['Mobile', 'phone'],
    ['tel', 'phone'],
    ['E-mail', 'email'],
    ['Adresse mail', 'email'],
    ['courriel', 'email'],
    ['nom', null],
    ['0612345678', null],
    ['+33612345678', null],
    ['someone@mail.example', null],
  ])('column %j holds %j', (name, kind) => {
    expect(columnKind(name)).toBe(kind);
  });
});

describe('OppositionListParser (C6)', () => {
  it('plain lines: one number per line, blanks and # comments ignored', () => {
    const { values, column } = read(
      '# Bloctel 2025-01-01\n0612345678\n\n   \n06 12 34 56 79\n# end\n+33 6 12 34 56 80\n'
    );
    expect(values).toEqual(['0612345678', '06 12 34 56 79', '+33 6 12 34 56 80']);
    expect(column).toEqual({ index: 0, name: null, kind: null });
  });

  it('a UTF-8 BOM and CRLF line endings', () => {
    expect(read('\uFEFF0612345678\r\n0612345679\r\n').values).toEqual(['0612345678', '0612345679']);
    expect(read('\uFEFFnumero\r\n0612345678\r\n').values).toEqual(['0612345678']);
  });

  it('reports line numbers of the file', () => {
    const { entries } = read('numero\n\n0612345678\n# x\n0612345679');
    expect(entries.map((e) => e.line)).toEqual([3, 5]);
  });

  it('CSV with a header row: the phone column, with ; or , separators', () => {
    expect(read('id;numero;nom\n1;0612345678;Dupont\n2;06 12 34 56 79;"Martin; Jean"\n').values).toEqual([
      '0612345678',
      '06 12 34 56 79',
    ]);
    expect(read('Name,Phone Number,Email\n"Doe, Jane",+33612345678,jane@example.com\n').values).toEqual([
      '+33612345678',
    ]);
  });

  it('picks the column the channel needs, or the one named by ?column=', () => {
    const csv = 'email;telephone;mobile\na@example.com;0140000000;0612345678\n';
    expect(read(csv, { kind: 'phone' }).values).toEqual(['0140000000']);
    expect(read(csv, { kind: 'email' })).toMatchObject({
      values: ['a@example.com'],
      column: { index: 0, kind: 'email' },
    });
    expect(read(csv, { column: 'MOBILE', kind: 'phone' })).toMatchObject({
      values: ['0612345678'],
      column: { index: 2, name: 'mobile' },
    });
    // Any column name can be chosen, not only the known ones.
    expect(read('id;ligne\n1;0612345678\n', { column: 'ligne' }).values).toEqual(['0612345678']);
    // Without a channel kind (postal, all), the first identifier column.
    expect(read(csv).column).toMatchObject({ index: 0, kind: 'email' });
  });

  it('refuses a list whose header lacks the column asked for, or any column of the kind needed', () => {
    expect(() => read('id;phone\n1;0612345678\n', { column: 'gsm' })).toThrow(ListFormatError);
    expect(() => read('id;phone\n1;0612345678\n', { column: 'gsm' })).toThrow(/no column "gsm".*id, phone/);
    expect(() => read('0612345678\n', { column: 'phone' })).toThrow(/no header row/);
    expect(() => read('name;email\nx;a@example.com\n', { kind: 'phone' })).toThrow(/no phone column/);
  });

  it('counts unreadable lines as invalid and goes on', () => {
    const { values } = read([
      'numero;nom\n0612345678;a\n"0612;b\n;c\n',
      'x'.repeat(MAX_LINE_LENGTH + 5),
      '\n0612345679;d\n;;\n',
    ]);
    expect(values).toEqual([
      '0612345678',
      '!has an unclosed quote',
      '!has no identifier',
      `!is longer than ${MAX_LINE_LENGTH} characters`,
      '0612345679',
    ]);
    expect(read('a;numero\n1\n', {}).values).toEqual(['!has no column 2']);
  });

  it('an email list with a header', () => {
    expect(read('Email\r\n"Jane@Example.com"\r\nbob@example.com\r\n').values).toEqual([
      'Jane@Example.com',
      'bob@example.com',
    ]);
  });
});

describe('HashPrefixSet', () => {
  const hex = (i: number) => createHash('sha256').update(String(i)).digest('hex');

  it('tells hashes met before from new ones, through growth', () => {
    const set = new HashPrefixSet(4);
    let added = 0;
    for (let i = 0; i < 50_000; i++) if (set.add(hex(i))) added++;
    expect(added).toBe(50_000);
    expect(set.size).toBe(50_000);
    let again = 0;
    let found = 0;
    for (let i = 0; i < 50_000; i += 97) {
      if (set.has(hex(i))) found++;
      if (set.add(hex(i))) again++;
    }
    expect([found, again]).toEqual([Math.ceil(50_000 / 97), 0]);
    let strangers = 0;
    for (let i = 50_000; i < 60_000; i++) if (set.has(hex(i))) strangers++;
    expect(strangers).toBe(0);
  });
});
