/**
 * docs/architecture.md names one owner module per table the plugin creates. A content type added without
 * its row, a row left behind by a removed one, or an owner file that moved would make the page lie about
 * who may write what; this keeps the page and the content types together.
 */
import fs from 'node:fs';
import path from 'node:path';
import contentTypes from '../../server/src/content-types';

const ROOT = path.resolve(__dirname, '../..');

/** The rows of the first table under "## Tables and their owners": table, content type, owner file. */
const ownerRows = () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
  const section = doc.split(/^## Tables and their owners$/m)[1]?.split(/^## /m)[0] ?? '';
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines
    .slice(start, end === -1 ? undefined : end)
    .slice(2) // the header and its separator
    .map((line) => line.split('|').map((cell) => cell.trim().replace(/^`|`$/g, '')))
    .map(([, table, contentType, owner]) => ({ table, contentType, owner }));
};

const schemas = Object.entries(contentTypes as Record<string, { schema: { collectionName: string } }>).map(
  ([name, { schema }]) => ({ name, table: schema.collectionName })
);

describe('docs/architecture.md owner table', () => {
  const rows = ownerRows();

  it('has exactly one row, with an owner, for every table a content type creates', () => {
    expect(schemas.length).toBeGreaterThan(10);
    const problems = schemas.flatMap(({ name, table }) => {
      const found = rows.filter((r) => r.table === table);
      if (found.length !== 1) return [`${table}: ${found.length} rows`];
      if (found[0].contentType !== name) return [`${table}: content type ${found[0].contentType}, not ${name}`];
      if (!found[0].owner) return [`${table}: no owner`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('lists no table that no content type creates, and each owner is a file of server/src', () => {
    const tables = new Set(schemas.map((s) => s.table));
    expect(rows.filter((r) => !tables.has(r.table)).map((r) => r.table)).toEqual([]);
    const missing = rows.filter((r) => !fs.existsSync(path.join(ROOT, 'server/src', r.owner)));
    expect(missing.map((r) => `${r.table} → ${r.owner}`)).toEqual([]);
  });
});
