/** The admin UI is complete in English, German and French: same keys, same placeholders, no id unknown. */
import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve(__dirname, '../../admin/src');
const load = (locale: string) => JSON.parse(fs.readFileSync(path.join(dir, 'translations', `${locale}.json`), 'utf8'));
const en: Record<string, string> = load('en');
const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();

const sources = (d: string): string[] =>
  fs
    .readdirSync(d, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sources(path.join(d, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(d, e.name)] : []
    );

describe.each(['de', 'fr'])('%s', (locale) => {
  const tr: Record<string, string> = load(locale);
  it('has exactly the English keys', () => {
    expect(Object.keys(tr).sort()).toEqual(Object.keys(en).sort());
  });
  it('keeps every placeholder and translates every string', () => {
    for (const key of Object.keys(en)) {
      expect([key, placeholders(tr[key])]).toEqual([key, placeholders(en[key])]);
      expect(tr[key].trim()).not.toBe('');
    }
  });
});

it('every literal message id used in the admin code is in en.json', () => {
  const used = new Set<string>();
  for (const file of sources(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/getTranslation\('([^']+)'\)/g)) used.add(m[1]);
  }
  expect([...used].filter((id) => !(id in en))).toEqual([]);
});

it('German names the ledger one way, "Register" as on its page, never "Ledger"', () => {
  const de: Record<string, string> = load('de');
  expect(de['ledger.title']).toBe('Register');
  expect(Object.entries(de).filter(([, text]) => /ledger/i.test(text))).toEqual([]);
});
