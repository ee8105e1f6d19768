/**
 * The documents hold together: every requirement id the code and tests cite can be looked up in
 * docs/compliance.md, and every relative link in the Markdown files points at a file that exists. A reader
 * who follows an id or a link from the code or the README never lands nowhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../server/src/config/validate';

const ROOT = path.resolve(__dirname, '../..');

const filesUnder = (dir: string, pattern: RegExp): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (pattern.test(entry.name)) out.push(full);
    }
  };
  walk(path.join(ROOT, dir));
  return out;
};

// A1 … K2 and the N-series; not the `L34-5` of an article number nor a spreadsheet cell like `!A0`.
const REQUIREMENT_ID = /(?<![\w!-])([A-KN]\d{1,2})(?![\w-])/g;

describe('documentation references', () => {
  const compliance = fs.readFileSync(path.join(ROOT, 'docs/compliance.md'), 'utf8');
  const documented = new Set([...compliance.matchAll(REQUIREMENT_ID)].map((m) => m[1]));

  it('every requirement id cited in the code and the tests has an entry in docs/compliance.md', () => {
    const sources = ['server/src', 'admin/src', 'client/src', 'react/src', 'test'].flatMap((d) =>
      filesUnder(d, /\.(ts|tsx)$/)
    );
    const missing = new Map<string, string>();
    for (const file of sources) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(REQUIREMENT_ID)) {
        if (!documented.has(m[1]) && !missing.has(m[1])) missing.set(m[1], path.relative(ROOT, file));
      }
    }
    expect(Object.fromEntries(missing)).toEqual({});
  });

  it('every configuration key the validator knows is in docs/reference/configuration.md', () => {
    type Description = { fields?: Record<string, Description> };
    const leaves = (d: Description, prefix = ''): string[] =>
      d.fields && Object.keys(d.fields).length
        ? Object.entries(d.fields).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    const reference = fs.readFileSync(path.join(ROOT, 'docs/reference/configuration.md'), 'utf8');
    const keys = leaves(configSchema(false).describe() as Description);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => !reference.includes(`\`${key}\``))).toEqual([]);
  });

  it('every relative link in the Markdown files resolves to a file of the repository', () => {
    const markdown = [
      ...['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'bench/README.md'].map((f) => path.join(ROOT, f)),
      ...filesUnder('docs', /\.md$/),
    ].filter((f) => fs.existsSync(f));
    const broken: string[] = [];
    for (const file of markdown) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/i.test(target)) continue;
        if (!fs.existsSync(path.resolve(path.dirname(file), target))) {
          broken.push(`${path.relative(ROOT, file)} → ${m[1]}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
