/**
 * The GPC support resource (F4): `GET /.well-known/gpc.json` at the site's root, public, answering
 * `{ "gpc": true, "lastUpdate": "YYYY-MM-DD" }` while an active purpose honours GPC, and 404 otherwise.
 */
import { adminApi, createSuperAdmin } from '../harness/admin';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let api: ReturnType<typeof adminApi>;
beforeAll(async () => {
  app = await bootStrapi();
  api = adminApi(app.strapi, await createSuperAdmin(app.strapi));
});
afterAll(() => app?.stop());

const resource = () => app.http().get('/.well-known/gpc.json');
const today = () => new Date().toISOString().slice(0, 10);

describe('GET /.well-known/gpc.json (F4)', () => {
  it('is 404 while no purpose honours GPC', async () => {
    await api.post('/consent/purposes', {
      key: 'newsletter',
      name: 'Newsletter',
      legalBasis: 'consent',
      channels: ['email'],
    });
    const res = await resource();
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
  });

  it('answers the resource, unauthenticated and unwrapped, once a purpose honours GPC', async () => {
    const saved = await api.put('/consent/purposes/newsletter', { honorGpc: true });
    expect(saved.status).toBe(200);
    const before = today();
    const res = await resource();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ gpc: true, lastUpdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    // The day the purpose was saved (UTC); a test running across midnight may see either day.
    expect([before, today()]).toContain(res.body.lastUpdate);
    expect(res.body.lastUpdate).toBe(saved.body.data.updatedAt.slice(0, 10));
  });

  it('is only at the root: not under the plugin prefixes', async () => {
    expect((await app.http().get('/api/consent/.well-known/gpc.json')).status).toBe(404);
    expect((await app.http().get('/consent/.well-known/gpc.json')).status).toBe(404);
  });

  it('is 404 again once no active purpose honours GPC (an archived one does not count)', async () => {
    await api.post('/consent/purposes', {
      key: 'tracking',
      name: 'Tracking',
      legalBasis: 'consent',
      channels: ['web'],
      honorGpc: true,
    });
    expect((await resource()).status).toBe(200);
    await api.put('/consent/purposes/newsletter', { honorGpc: false });
    expect((await resource()).status).toBe(200);
    await api.put('/consent/purposes/tracking', { active: false });
    expect((await resource()).status).toBe(404);
  });
});
