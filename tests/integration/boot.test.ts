import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi();
});
afterAll(() => app?.stop());

it('boots with the plugin', async () => {
  expect(app.strapi.plugin('consent')).toBeDefined();
  const res = await app.http().get('/_health');
  expect(res.status).toBe(204);
});
