/**
 * Issue 19 part 2: every table has one owner (docs/architecture.md, "Tables and their owners"), the only
 * module that names it; the others call the owner. A module that names another's table, by `UID.x`,
 * `TABLE.x`, its uid `'plugin::consent.x'` or its table name in quotes, fails here with the file, the table
 * and the owner to call instead. The doc's fourth column lists the owner's helpers (its guard, its boot
 * row), which may name the table too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TABLE, UID } from '../../server/src/constants';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'server/src');

type Key = keyof typeof TABLE;
interface Ownership {
  table: string;
  key: Key;
  owners: string[];
}

/** The owner table of docs/architecture.md: table, content type, owner, helpers (comma-separated). */
const ownership = (): Ownership[] => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
  const section = doc.split(/^## Tables and their owners$/m)[1]?.split(/^## /m)[0] ?? '';
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  const files = (cell = '') => [...cell.matchAll(/`([^`]+\.ts)`/g)].map((m) => m[1]);
  return lines
    .slice(start, end === -1 ? undefined : end)
    .slice(2)
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, table, , owner, helpers]) => {
      const name = table.replace(/`/g, '');
      const key = (Object.keys(TABLE) as Key[]).find((k) => TABLE[k] === name)!;
      return { table: name, key, owners: [...files(owner), ...files(helpers)] };
    });
};

/** Code without its comments: a table named in a comment is documentation, not access. */
const code = (source: string) =>
  source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\s\/\/ .*$/gm, '');

/** The tables a file names: `UID.x`, `TABLE.x` (or `['x']`), the uid or the table name as a literal. */
export const tablesNamed = (source: string): Set<Key> => {
  const text = code(source);
  const named = new Set<Key>();
  for (const m of text.matchAll(/\b(?:UID|TABLE)\s*(?:\.\s*(\w+)|\[\s*['"`](\w+)['"`]\s*\])/g)) {
    const key = (m[1] ?? m[2]) as Key;
    if (key in TABLE) named.add(key);
  }
  for (const key of Object.keys(TABLE) as Key[]) {
    const literal = (value: string) => new RegExp(`['"\`]${value.replace(/[.:-]/g, '\\$&')}['"\`]`);
    if (literal(TABLE[key]).test(text) || literal(UID[key]).test(text)) named.add(key);
  }
  return named;
};

/** Files (under server/src) that may name every table: the definitions themselves. */
const DEFINITIONS = [/^content-types\//, /^constants\.ts$/];

const sources = (dir = SRC): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) ? [path.relative(SRC, file).split(path.sep).join('/')] : [];
  });

/** Every naming of a table by a module that neither owns it nor helps its owner. */
export const offences = (files: { file: string; source: string }[], owners: Ownership[]): string[] =>
  files.flatMap(({ file, source }) => {
    if (DEFINITIONS.some((d) => d.test(file))) return [];
    return [...tablesNamed(source)].flatMap((key) => {
      const row = owners.find((o) => o.key === key);
      if (!row) return [`${file} names ${TABLE[key]}, which has no row in docs/architecture.md`];
      if (row.owners.includes(file)) return [];
      return [`${file} names ${row.table}, owned by ${row.owners[0]}: call the owner instead`];
    });
  });

describe('each table has one owner (issue 19 part 2)', () => {
  const owners = ownership();
  const files = sources().map((file) => ({ file, source: fs.readFileSync(path.join(SRC, file), 'utf8') }));

  it('reads an owner for every table of constants.ts from docs/architecture.md', () => {
    expect(owners.map((o) => o.key).sort()).toEqual((Object.keys(TABLE) as Key[]).sort());
    const missing = owners.flatMap((o) => o.owners.filter((f) => !fs.existsSync(path.join(SRC, f))));
    expect(missing).toEqual([]);
    expect(owners.every((o) => o.owners.length > 0)).toBe(true);
  });

  it('no module other than its owner names a table', () => {
    expect(offences(files, owners)).toEqual([]);
  });

  describe('the checker', () => {
    const check = (file: string, source: string) => offences([{ file, source }], owners);

    it('catches each way of naming a table, with file, table and owner', () => {
      for (const source of [
        'strapi.db.query(UID.subject).findMany({});',
        'knex()(TABLE.subject).where({ id });',
        "knex()(TABLE['subject']).first();",
        "strapi.db.query('plugin::consent.subject').findOne({});",
        'knex().raw(`select * from "consent_subjects"`);',
        "db.connection('consent_subjects').del();",
      ]) {
        expect(check('services/newcomer.ts', source)).toEqual([
          'services/newcomer.ts names consent_subjects, owned by services/subjects.ts: call the owner instead',
        ]);
      }
    });

    it('lets the owner, its helpers and the definitions name the table; ignores comments', () => {
      expect(check('services/subjects.ts', 'query(UID.subject)')).toEqual([]);
      expect(check('database/ledger-guard.ts', 'knex(TABLE.event)')).toEqual([]);
      expect(check('constants.ts', "subject: 'consent_subjects'")).toEqual([]);
      expect(check('services/other.ts', '/** reads `consent_subjects` */\n// TABLE.subject\nconst x = 1;')).toEqual([]);
      // A trigger named after its table is not the table.
      expect(check('services/other.ts', "const t = 'consent_events_no_delete';")).toEqual([]);
    });
  });
});
