/**
 * The admin settings route (spec 4.3, settings): RBAC enforced on the route itself, not only in the UI,
 * and the secret never leaves the server.
 */
import { createAdminWithActions, createSuperAdmin } from '../harness/admin';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi({ pluginConfig: { publicUrl: 'https://shop.example.com/' } });
});
afterAll(() => app?.stop());

const get = (token?: string) => {
  const req = app.http().get('/consent/settings');
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
};

it('401 without an admin token', async () => {
  expect((await get()).status).toBe(401);
});

it('403 for a role without plugin::consent.settings.read', async () => {
  const token = await createAdminWithActions(app.strapi, 'no-settings@consent.test', ['plugin::consent.records.read']);
  const res = await get(token);
  expect(res.status).toBe(403);
  expect(res.body.error.name).toBe('PolicyError'); // what admin::hasPermissions throws
});

it('200 for a role with the action, without the secret', async () => {
  const token = await createAdminWithActions(app.strapi, 'settings@consent.test', ['plugin::consent.settings.read']);
  const res = await get(token);
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({
    publicUrl: 'https://shop.example.com',
    jurisdiction: 'fr',
    ipStorage: 'truncated',
    secretSource: 'config',
    database: { client: expect.any(String), forceMigration: false },
  });
  expect(JSON.stringify(res.body)).not.toContain(process.env.CONSENT_SECRET ?? 'test-secret');
});

it('registers every RBAC action of spec 4.3', async () => {
  const token = await createSuperAdmin(app.strapi);
  const res = await app.http().get('/admin/permissions').set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  const ids = JSON.stringify(res.body.data);
  for (const action of [
    'purposes.read',
    'purposes.manage',
    'notices.read',
    'notices.manage',
    'notices.publish',
    'forms.read',
    'forms.manage',
    'records.read',
    'records.export',
    'subjects.erase',
    'settings.read',
  ]) {
    expect(ids).toContain(`plugin::consent.${action}`);
  }
});
