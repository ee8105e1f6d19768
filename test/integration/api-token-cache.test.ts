/**
 * The API token cache (auth/api-token-cache, `tokenCache`): each instance keeps a token Strapi checked for
 * under a second, so a change made on one instance — the token deleted, regenerated, re-dated or given
 * other permissions — is refused on every instance once that second has passed. Two instances on one
 * database (this process and a child serving HTTP) on PostgreSQL and MariaDB; on SQLite, one writer
 * process, the same steps run against this instance alone.
 */
import type { Core } from '@strapi/strapi';
import { setupForm } from '../harness/consent-setup';
import { startChildInstance, type ChildInstance } from '../harness/child-instance';
import { createTestDatabase, type TestDatabase } from '../harness/database';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

/** Longer than the largest `tokenCache.ttlMs` the configuration accepts (999). */
const BOUND_MS = 1000;
const CHECK = '/api/consent/eligibility?purpose=newsletter&channel=email&email=ada%40example.com';

describe('API token cache', () => {
  let database: TestDatabase;
  let a: TestStrapi;
  let b: ChildInstance | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await bootStrapi({ database });
    await setupForm(a.strapi, ['newsletter']);
    if (database.engine !== 'sqlite') b = await startChildInstance(database, { listen: true });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  const tokens = () =>
    a.strapi.service('admin::api-token-content-api') as unknown as Record<
      string,
      (...args: unknown[]) => Promise<{ id: number; accessKey: string }>
    >;
  const onA = async (key: string) => (await a.http().get(CHECK).set('authorization', `Bearer ${key}`)).status;
  const onB = async (key: string) => {
    if (!b) return onA(key);
    return (await fetch(`http://127.0.0.1:${b.port}${CHECK}`, { headers: { authorization: `Bearer ${key}` } })).status;
  };
  /** Both instances, each asked twice: the second answer comes from the cache when the first was kept. */
  const everywhere = async (key: string) => [await onA(key), await onA(key), await onB(key), await onB(key)];
  const afterTheBound = () => new Promise((resolve) => setTimeout(resolve, BOUND_MS));
  const create = (name: string, attributes: Record<string, unknown> = { type: 'full-access' }) =>
    tokens().create({ name, description: '', lifespan: null, ...attributes });
  const row = (strapi: Core.Strapi, id: number) =>
    strapi.db.query('admin::api-token').findOne({ where: { id }, select: ['lastUsedAt'] });

  it('a token works on every instance, and lastUsedAt is written as Strapi writes it', async () => {
    const token = await create('works');
    expect(await everywhere(token.accessKey)).toEqual([200, 200, 200, 200]);
    expect((await row(a.strapi, token.id)).lastUsedAt).not.toBeNull();
  });

  it('a deleted token is refused on every instance within the bound', async () => {
    const token = await create('deleted');
    expect(await everywhere(token.accessKey)).toEqual([200, 200, 200, 200]);
    await tokens().revoke(token.id);
    await afterTheBound();
    expect(await everywhere(token.accessKey)).toEqual([401, 401, 401, 401]);
  });

  it('a regenerated token: the old key is refused within the bound, the new one works at once', async () => {
    const token = await create('regenerated');
    expect(await everywhere(token.accessKey)).toEqual([200, 200, 200, 200]);
    const renewed = await tokens().regenerate(token.id);
    expect(await everywhere(renewed.accessKey)).toEqual([200, 200, 200, 200]);
    await afterTheBound();
    expect(await everywhere(token.accessKey)).toEqual([401, 401, 401, 401]);
  });

  it('a token given an expiry in the past is refused within the bound', async () => {
    const token = await create('expired');
    expect(await everywhere(token.accessKey)).toEqual([200, 200, 200, 200]);
    await a.strapi.db
      .query('admin::api-token')
      .update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await afterTheBound();
    expect(await everywhere(token.accessKey)).toEqual([401, 401, 401, 401]);
  });

  it('a token reaching its own expiry is refused at once, cached or not', async () => {
    const token = await create('expiring');
    const expiresAt = new Date(Date.now() + 2 * BOUND_MS);
    await a.strapi.db.query('admin::api-token').update({ where: { id: token.id }, data: { expiresAt } });
    await afterTheBound();
    await onA(token.accessKey);
    await onB(token.accessKey);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now() + 50)));
    expect(await everywhere(token.accessKey)).toEqual([401, 401, 401, 401]);
  });

  it('a custom token losing the permission gets 403 within the bound', async () => {
    const token = await create('custom', {
      type: 'custom',
      permissions: ['plugin::consent.eligibility.check', 'plugin::consent.eligibility.checkMany'],
    });
    expect(await everywhere(token.accessKey)).toEqual([200, 200, 200, 200]);
    await tokens().update(token.id, { permissions: ['plugin::consent.eligibility.checkMany'] });
    await afterTheBound();
    expect(await everywhere(token.accessKey)).toEqual([403, 403, 403, 403]);
  });

  it('a key no token has is refused on every instance', async () => {
    expect(await everywhere('not-a-token')).toEqual([401, 401, 401, 401]);
  });
});
