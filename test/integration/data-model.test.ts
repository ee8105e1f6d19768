/**
 * The data model of spec section 3: every content type exists under its explicit table name, with the
 * indexes its lookups need, draft & publish off, and hidden from the Content Manager and the
 * Content-Type Builder so the plugin's rules cannot be bypassed there.
 */
import { UID, TABLE } from '../../server/src/constants';
import contentTypes from '../../server/src/content-types';
import { createSuperAdmin } from '../harness/admin';
import { rejectionOf } from '../harness/errors';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi();
});
afterAll(() => app?.stop());

const entries = Object.entries(UID).map(([key, uid]) => [key, uid, TABLE[key as keyof typeof TABLE]] as const);

describe.each(entries)('%s (%s)', (_key, uid, table) => {
  it(`is stored in ${table}, without draft & publish, hidden from generic editors`, async () => {
    const ct = app.strapi.contentType(uid);
    expect(ct).toBeDefined();
    expect(ct.collectionName).toBe(table);
    expect(ct.options?.draftAndPublish).toBe(false);
    expect(ct.pluginOptions).toMatchObject({
      'content-manager': { visible: false },
      'content-type-builder': { visible: false },
    });
    expect(await app.strapi.db.connection.schema.hasTable(table)).toBe(true);
  });

  it('has a column for every attribute', async () => {
    const model = app.strapi.db.metadata.get(uid);
    for (const attribute of Object.values(model.attributes) as Array<{ columnName?: string; type: string }>) {
      if (!attribute.columnName || attribute.type === 'relation') continue;
      expect(await app.strapi.db.connection.schema.hasColumn(table, attribute.columnName)).toBe(true);
    }
  });

  it('has every declared index, unique where declared', async () => {
    const declared = (
      contentTypes as Record<
        string,
        { schema: { indexes: ReadonlyArray<{ name: string; columns: readonly string[]; type?: string }> } }
      >
    )[Object.keys(contentTypes).find((k) => (contentTypes as any)[k].schema.collectionName === table)!].schema.indexes;
    const actual = await app.strapi.db.dialect.schemaInspector.getIndexes(table);
    // Strapi's PostgreSQL inspector joins the columns by `attnum = ANY(indkey)`, which answers them in the
    // table's column order, not the index's: there only the set of columns can be compared.
    const inOrder = app.database.engine !== 'postgres';
    const columnsOf = (columns: readonly string[]) => (inOrder ? [...columns] : [...columns].sort());
    for (const index of declared) {
      const found = actual.find((i: { name: string }) => i.name === index.name);
      expect({ name: index.name, columns: columnsOf(found?.columns ?? []) }).toEqual({
        name: index.name,
        columns: columnsOf(index.columns),
      });
      if (index.type === 'unique') expect(found?.type).toBe('unique');
    }
  });
});

it('the Content Manager does not display any consent type', async () => {
  const token = await createSuperAdmin(app.strapi);
  const res = await app.http().get('/content-manager/content-types').set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  const consentTypes = res.body.data.filter((ct: { uid: string }) => ct.uid.startsWith('plugin::consent.'));
  expect(consentTypes.map((ct: { uid: string }) => ct.uid).sort()).toEqual(Object.values(UID).sort());
  for (const ct of consentTypes) expect(ct.isDisplayed).toBe(false);
});

it('a unique index rejects a second purpose with the same key (DB level, not only validation)', async () => {
  const purpose = { key: 'dup', name: 'Dup', legalBasis: 'consent', channels: ['email'] };
  await app.strapi.db.query(UID.purpose).create({ data: purpose });
  expect(await rejectionOf(app.strapi.db.query(UID.purpose).create({ data: purpose }))).toMatch(/unique|duplicate/i);
  expect(await app.strapi.db.query(UID.purpose).count({ where: { key: 'dup' } })).toBe(1);
});
