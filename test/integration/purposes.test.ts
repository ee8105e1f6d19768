/**
 * Purposes through the admin API (spec 3, 4.3): validation names the field, the mechanism is derived from
 * the legal basis, and a used purpose keeps its key and legal basis (A11, D9) and is archived, never deleted.
 */
import { UID } from '../../server/src/constants';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { consentEvent } from '../harness/fixtures';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let api: ReturnType<typeof adminApi>;
beforeAll(async () => {
  app = await bootStrapi();
  api = adminApi(app.strapi, await createSuperAdmin(app.strapi));
});
afterAll(() => app?.stop());

const newsletter = {
  key: 'newsletter',
  name: 'Newsletter',
  description: 'Monthly news',
  translations: { de: { name: 'Newsletter', description: 'Monatliche Neuigkeiten' } },
  legalBasis: 'consent',
  channels: ['email'],
  doubleOptIn: true,
};

/** A ledger event for the purpose, through the ledger's write path: the purpose is now "used". */
const useInLedger = (purpose: string) =>
  app.strapi
    .plugin('consent')
    .service('ledger')
    .append([consentEvent({ purpose })]);

it('creates a purpose with defaults and a derived mechanism', async () => {
  const res = await api.post('/consent/purposes', newsletter);
  expect(res.status).toBe(201);
  expect(res.body.data).toMatchObject({
    key: 'newsletter',
    mechanism: 'opt-in',
    audience: 'any',
    softOptIn: false,
    honorGpc: false,
    active: true,
    used: false,
    defaultLocale: 'en',
    translations: { de: { name: 'Newsletter' } },
  });
});

it.each([
  ['consent', 'opt-in'],
  ['legitimate-interest', 'opt-out'],
  ['contract', 'none'],
  ['legal-obligation', 'none'],
])('legal basis %s gives mechanism %s', async (legalBasis, mechanism) => {
  const key = `basis-${legalBasis}`;
  const res = await api.post('/consent/purposes', { key, name: key, legalBasis, channels: ['postal'] });
  expect(res.status).toBe(201);
  expect(res.body.data.mechanism).toBe(mechanism);
});

it('refuses setting the mechanism by hand', async () => {
  const res = await api.post('/consent/purposes', { ...newsletter, key: 'manual', mechanism: 'opt-out' });
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/unknown field\(s\): mechanism/);
});

it.each([
  [{ key: 'Bad Key' }, 'key'],
  [{ legalBasis: 'vibes' }, 'legalBasis'],
  [{ channels: [] }, 'channels'],
  [{ channels: ['email', 'email'] }, 'channels'],
  [{ channels: ['carrier-pigeon'] }, 'channels[0]'],
  [{ minimumAge: 9 }, 'minimumAge'],
  [{ doubleOptIn: 'yes' }, 'doubleOptIn'],
  [{ translations: { de: { title: 'x' } } }, 'translations.de'],
  [{ name: undefined }, 'name'],
])('400 naming the field for %j', async (over, field) => {
  const count = await app.strapi.db.query(UID.purpose).count();
  const res = await api.post('/consent/purposes', { ...newsletter, key: 'invalid-one', ...over });
  expect(res.status).toBe(400);
  expect(res.body.error.name).toBe('ValidationError');
  expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(
    field.replace(/\[(\d+)\]/, '.$1')
  );
  expect(await app.strapi.db.query(UID.purpose).count()).toBe(count);
});

it('409 for a duplicate key', async () => {
  const res = await api.post('/consent/purposes', newsletter);
  expect(res.status).toBe(409);
});

it('lists and reads purposes; 404 for an unknown key', async () => {
  const list = await api.get('/consent/purposes');
  expect(list.status).toBe(200);
  expect(list.body.data.map((p: { key: string }) => p.key)).toContain('newsletter');
  expect((await api.get('/consent/purposes/newsletter')).body.data.key).toBe('newsletter');
  expect((await api.get('/consent/purposes/nope')).status).toBe(404);
});

it('an unused purpose can be renamed and its legal basis changed; its drafts follow the rename', async () => {
  await api.post('/consent/purposes', { key: 'draft-only', name: 'D', legalBasis: 'consent', channels: ['email'] });
  const draft = await api.post('/consent/notices', {
    purpose: 'draft-only',
    locale: 'en',
    title: 'T',
    body: 'B',
    dataCategories: ['email address'],
    recipients: [],
    privacyPolicyUrl: 'https://example.com/privacy',
  });
  expect(draft.status).toBe(201);
  const res = await api.put('/consent/purposes/draft-only', { key: 'renamed', legalBasis: 'legitimate-interest' });
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({ key: 'renamed', mechanism: 'opt-out' });
  expect((await api.get(`/consent/notices/${draft.body.data.id}`)).body.data.purpose).toBe('renamed');
});

describe('once a ledger event uses the purpose (A11, D9)', () => {
  beforeAll(async () => {
    await useInLedger('newsletter');
  });

  it('is reported as used', async () => {
    expect((await api.get('/consent/purposes/newsletter')).body.data.used).toBe(true);
  });
  it('its key cannot change', async () => {
    const res = await api.put('/consent/purposes/newsletter', { key: 'news' });
    expect(res.status).toBe(409);
    expect(res.body.error.details.field).toBe('key');
  });
  it('its legal basis cannot change', async () => {
    const res = await api.put('/consent/purposes/newsletter', { legalBasis: 'legitimate-interest' });
    expect(res.status).toBe(409);
    expect(res.body.error.details.field).toBe('legalBasis');
  });
  it('other fields can change', async () => {
    const res = await api.put('/consent/purposes/newsletter', { name: 'Our newsletter', honorGpc: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Our newsletter', honorGpc: true, key: 'newsletter' });
  });
  it('cannot be deleted', async () => {
    const res = await api.del('/consent/purposes/newsletter');
    expect(res.status).toBe(409);
    expect(await app.strapi.db.query(UID.purpose).count({ where: { key: 'newsletter' } })).toBe(1);
  });
  it('can be archived and brought back', async () => {
    const archived = await api.put('/consent/purposes/newsletter', { active: false });
    expect(archived.body.data).toMatchObject({ active: false, archivedAt: expect.any(String) });
    const back = await api.put('/consent/purposes/newsletter', { active: true });
    expect(back.body.data).toMatchObject({ active: true, archivedAt: null });
  });
});

it('an unused, unpublished purpose can be deleted', async () => {
  await api.post('/consent/purposes', { key: 'temporary', name: 'T', legalBasis: 'consent', channels: ['sms'] });
  expect((await api.del('/consent/purposes/temporary')).status).toBe(200);
  expect((await api.get('/consent/purposes/temporary')).status).toBe(404);
});
