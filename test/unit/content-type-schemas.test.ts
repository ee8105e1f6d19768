/**
 * The content-type schemas are built by one helper (server/src/content-types/define.ts) instead of each
 * spelling out the same header. Strapi derives the tables from these objects, so they must stay exactly what
 * they were: fixtures/content-type-schemas.json holds them as they stood before the helper (issue 19), and a
 * change to it is a change to the database schema, to be made on purpose. Key order is compared too, as
 * Strapi creates the columns in attribute order.
 */
import fs from 'node:fs';
import path from 'node:path';
import contentTypes from '../../server/src/content-types';

const fixture = path.join(__dirname, 'fixtures/content-type-schemas.json');

describe('content-type schemas', () => {
  const built = Object.fromEntries(Object.entries(contentTypes).map(([name, { schema }]) => [name, schema]));
  const before = JSON.parse(fs.readFileSync(fixture, 'utf8')) as Record<string, unknown>;

  it('builds every schema deep-equal to the recorded one', () => {
    expect(built).toEqual(before);
  });

  it('keeps the order of every key, attributes included', () => {
    expect(JSON.stringify(built, null, 2)).toBe(JSON.stringify(before, null, 2));
  });
});
