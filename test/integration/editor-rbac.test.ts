/**
 * RBAC on the editor's admin API (spec 4.3): every route checks its own action on the server. A role
 * without the plugin's actions (Strapi's default Author, Editor) gets 403 everywhere; read actions do not
 * allow writes; publishing is its own action.
 */
import { adminApi, createAdminWithActions, createSuperAdmin } from '../harness/admin';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi();
  const admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  await admin.post('/consent/purposes', { key: 'p', name: 'P', legalBasis: 'consent', channels: ['email'] });
  const draft = await admin.post('/consent/notices', {
    purpose: 'p',
    locale: 'en',
    title: 'T',
    body: 'B',
    dataCategories: ['email address'],
    recipients: [],
    privacyPolicyUrl: 'https://example.com/privacy',
  });
  noticeId = draft.body.data.id;
  await admin.post('/consent/forms', { key: 'f', name: 'F', purposes: ['p'] });
});
afterAll(() => app?.stop());

let noticeId: number;

const routes = () =>
  [
    ['get', '/consent/purposes', 'purposes.read'],
    ['get', '/consent/purposes/p', 'purposes.read'],
    ['post', '/consent/purposes', 'purposes.manage'],
    ['put', '/consent/purposes/p', 'purposes.manage'],
    ['del', '/consent/purposes/p', 'purposes.manage'],
    ['get', '/consent/notices', 'notices.read'],
    ['get', `/consent/notices/${noticeId}`, 'notices.read'],
    ['post', '/consent/notices', 'notices.manage'],
    ['put', `/consent/notices/${noticeId}`, 'notices.manage'],
    ['del', `/consent/notices/${noticeId}`, 'notices.manage'],
    ['post', `/consent/notices/${noticeId}/publish`, 'notices.publish'],
    ['get', '/consent/forms', 'forms.read'],
    ['get', '/consent/forms/f', 'forms.read'],
    ['post', '/consent/forms/preview', 'forms.read'],
    ['post', '/consent/forms', 'forms.manage'],
    ['put', '/consent/forms/f', 'forms.manage'],
    ['del', '/consent/forms/f', 'forms.manage'],
  ] as const;

const PREVIEW = { form: { purposes: ['p'] }, locale: 'en' };
const call = (api: ReturnType<typeof adminApi>, method: 'get' | 'post' | 'put' | 'del', path: string) =>
  method === 'put'
    ? api.put(path, {})
    : method === 'post'
      ? api.post(path, path.endsWith('/preview') ? PREVIEW : {})
      : api[method](path);

it("Strapi's own Author role gets 403 on every editor route", async () => {
  const author = await app.strapi.service('admin::role').getAuthor?.();
  const role = author ?? (await app.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-author' } }));
  await app.strapi.service('admin::user').create({
    email: 'author@consent.test',
    password: 'Test-password-1',
    firstname: 'A',
    lastname: 'Uthor',
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  const { login } = await import('../harness/admin');
  const api = adminApi(app.strapi, await login(app.strapi, 'author@consent.test'));
  for (const [method, path] of routes()) {
    const res = await call(api, method, path);
    expect([method, path, res.status]).toEqual([method, path, 403]);
  }
});

it('each route needs its own action: a role with every other action gets 403 on it', async () => {
  const all = [...new Set(routes().map(([, , action]) => action))];
  for (const action of all) {
    const others = all.filter((a) => a !== action).map((a) => `plugin::consent.${a}`);
    const api = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, `without-${action}@consent.test`, others)
    );
    for (const [method, path] of routes().filter(([, , a]) => a === action)) {
      const res = await call(api, method, path);
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
  }
});

it('read actions allow reading', async () => {
  const api = adminApi(
    app.strapi,
    await createAdminWithActions(app.strapi, 'reader@consent.test', [
      'plugin::consent.purposes.read',
      'plugin::consent.notices.read',
      'plugin::consent.forms.read',
    ])
  );
  for (const [method, path] of routes().filter(([m, , a]) => m === 'get' || a.endsWith('.read'))) {
    expect([path, (await call(api, method, path)).status]).toEqual([path, 200]);
  }
});
