/**
 * Forms (collection points) and their public definition (spec 3, 4.1, 4.3): no way to pre-tick a box (A2),
 * one box per purpose (A4), each purpose with its current published notice in the asked locale or its
 * default locale, saying which was served (A9), and nothing for inactive forms.
 */
import { UID } from '../../server/src/constants';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let api: ReturnType<typeof adminApi>;

const notice = (purpose: string, locale: string, title: string) => ({
  purpose,
  locale,
  title,
  body: `${title}: body`,
  dataCategories: ['email address'],
  recipients: [],
  privacyPolicyUrl: 'https://example.com/privacy',
});

const publish = async (input: ReturnType<typeof notice>) => {
  const draft = await api.post('/consent/notices', input);
  return (await api.post(`/consent/notices/${draft.body.data.id}/publish`)).body.data;
};

beforeAll(async () => {
  app = await bootStrapi();
  api = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  await api.post('/consent/purposes', {
    key: 'newsletter',
    name: 'Newsletter',
    translations: { de: { name: 'Rundbrief', description: 'Monatlich' } },
    legalBasis: 'consent',
    channels: ['email'],
  });
  await api.post('/consent/purposes', {
    key: 'calls',
    name: 'Calls',
    legalBasis: 'consent',
    channels: ['phone'],
    defaultLocale: 'fr',
    minimumAge: 16,
  });
  await api.post('/consent/purposes', {
    key: 'no-text',
    name: 'No text yet',
    legalBasis: 'consent',
    channels: ['sms'],
  });
  await publish(notice('newsletter', 'en', 'Newsletter'));
  await publish(notice('newsletter', 'de', 'Rundbrief'));
  await publish(notice('calls', 'fr', 'Appels'));
});
afterAll(() => app?.stop());

const signup = {
  key: 'signup',
  name: 'Sign-up',
  purposes: ['newsletter', 'calls', 'no-text'],
  allowedOrigins: ['https://www.example.com'],
  successUrl: 'https://www.example.com/thanks',
  privacyPolicyUrl: 'https://www.example.com/privacy',
};

describe('admin API', () => {
  it('creates a form', async () => {
    const res = await api.post('/consent/forms', signup);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ ...signup, doubleOptIn: false, active: true });
  });

  it('has no way to pre-tick a box: defaultChecked is refused (A2)', async () => {
    for (const body of [
      { ...signup, key: 'prechecked', defaultChecked: true },
      { ...signup, key: 'prechecked', purposes: [{ key: 'newsletter', defaultChecked: true }] },
    ]) {
      const res = await api.post('/consent/forms', body);
      expect(res.status).toBe(400);
    }
    expect(await app.strapi.db.query(UID.form).count({ where: { key: 'prechecked' } })).toBe(0);
  });

  it.each([
    [{ purposes: ['unknown'] }, 'purposes[0]: no purpose with key "unknown"'],
    [{ purposes: [] }, 'purposes must offer at least one purpose'],
    [{ purposes: ['newsletter', 'newsletter'] }, 'purposes must not list the same purpose twice'],
    [{ allowedOrigins: ['https://www.example.com/path'] }, 'allowedOrigins[0] must be an origin'],
    [{ successUrl: '/thanks' }, 'successUrl must be an absolute http(s) URL'],
  ])('400 for %j', async (over, message) => {
    const res = await api.post('/consent/forms', { ...signup, key: 'bad', ...over });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('refuses an archived purpose', async () => {
    await api.post('/consent/purposes', {
      key: 'old',
      name: 'Old',
      legalBasis: 'consent',
      channels: ['email'],
      active: false,
    });
    const res = await api.post('/consent/forms', { ...signup, key: 'with-old', purposes: ['old'] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('purposes[0]: purpose "old" is archived');
  });

  it('updates, lists, and 409 on a duplicate key', async () => {
    await api.post('/consent/forms', { ...signup, key: 'other' });
    expect((await api.put('/consent/forms/other', { key: 'signup' })).status).toBe(409);
    expect((await api.put('/consent/forms/other', { doubleOptIn: true })).body.data.doubleOptIn).toBe(true);
    expect((await api.get('/consent/forms')).body.data.map((f: { key: string }) => f.key)).toEqual(['other', 'signup']);
    expect((await api.del('/consent/forms/other')).status).toBe(200);
    expect((await api.get('/consent/forms/other')).status).toBe(404);
  });
});

it('previews an unsaved form exactly as the public route would serve it', async () => {
  const res = await api.post('/consent/forms/preview', {
    form: { key: 'draft', name: 'Draft', purposes: ['calls', 'newsletter'] },
    locale: 'de',
  });
  expect(res.status).toBe(200);
  expect(
    res.body.data.purposes.map((p: { key: string; defaultChecked: boolean }) => [p.key, p.defaultChecked])
  ).toEqual([
    ['calls', false],
    ['newsletter', false],
  ]);
  expect(await app.strapi.db.query(UID.form).count({ where: { key: 'draft' } })).toBe(0);
  expect((await api.post('/consent/forms/preview', { form: { purposes: ['x'], defaultChecked: true } })).status).toBe(
    400
  );
});

it('A7: the preview says, per purpose and language, whether the purpose is offered and why not', async () => {
  // Default language German, but only an English notice: nothing a French or German visitor can read.
  await api.post('/consent/purposes', {
    key: 'catalogue',
    name: 'Catalogue',
    legalBasis: 'consent',
    channels: ['postal'],
    defaultLocale: 'de',
  });
  await publish(notice('catalogue', 'en', 'Catalogue'));
  const res = await api.post('/consent/forms/preview', {
    form: { purposes: ['newsletter', 'calls', 'no-text', 'catalogue'] },
    locale: 'fr',
  });
  expect(res.status).toBe(200);
  const { offers, defaultLocales, purposes } = res.body.data;
  expect(Object.keys(offers.newsletter)).toEqual(['de', 'en', 'fr']);
  expect(offers.newsletter.de).toEqual({ offered: true, noticeLanguage: 'de', fallback: false });
  expect(offers.newsletter.fr).toEqual({ offered: true, noticeLanguage: 'en', fallback: true });
  expect(offers.calls.en).toEqual({ offered: true, noticeLanguage: 'fr', fallback: true });
  expect(offers['no-text'].en).toEqual({ offered: false, reason: 'no-published-notice' });
  expect(offers.catalogue.en).toEqual({ offered: true, noticeLanguage: 'en', fallback: false });
  expect(offers.catalogue.fr).toEqual({ offered: false, reason: 'no-notice-in-language' });
  expect(offers.catalogue.de).toEqual({ offered: false, reason: 'no-notice-in-language' });
  expect(defaultLocales).toEqual({ newsletter: 'en', calls: 'fr', 'no-text': 'en', catalogue: 'de' });
  // The definition itself leaves out exactly the purposes not offered in the language asked.
  expect(purposes.map((p: { key: string }) => p.key)).toEqual(['newsletter', 'calls']);
  const pub = await app.http().get('/api/consent/forms/signup?locale=fr');
  expect(pub.body.data.offers).toBeUndefined();
});

describe('GET /api/consent/forms/:key (public, no auth)', () => {
  it('serves each purpose once, unticked, with its notice in the asked locale (A2, A4, A9, G1)', async () => {
    const res = await app.http().get('/api/consent/forms/signup?locale=de');
    expect(res.status).toBe(200);
    const { data } = res.body;
    expect(data).toMatchObject({ key: 'signup', locale: 'de', privacyPolicyUrl: signup.privacyPolicyUrl });
    expect(data.controller.name).toEqual(expect.any(String));
    expect(data.purposes.map((p: { key: string }) => p.key)).toEqual(['newsletter', 'calls']);
    const [newsletter, calls] = data.purposes;
    expect(newsletter).toMatchObject({
      name: 'Rundbrief',
      description: 'Monatlich',
      mechanism: 'opt-in',
      defaultChecked: false,
      localeFallback: false,
      notice: { locale: 'de', version: 1, title: 'Rundbrief', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(newsletter.notice.withdrawal).toMatch(/widerrufen/);
    // No German text for "calls": its default locale (fr) is served, and said so. Its minimum age
    // travels with it so the front end can ask for the age first (G1).
    expect(calls).toMatchObject({
      defaultChecked: false,
      localeFallback: true,
      minimumAge: 16,
      notice: { locale: 'fr' },
    });
  });

  it('the served hash is the published one', async () => {
    const res = await app.http().get('/api/consent/forms/signup?locale=en');
    const row = await app.strapi.db
      .query(UID.notice)
      .findOne({ where: { purpose: 'newsletter', language: 'en', status: 'published' } });
    expect(res.body.data.purposes[0].notice).toMatchObject({ id: row.id, hash: row.contentHash });
  });

  it('falls back from a regional locale to its language', async () => {
    const res = await app.http().get('/api/consent/forms/signup?locale=de-AT');
    expect(res.body.data.purposes[0].notice.locale).toBe('de');
  });

  it('404 for an unknown or inactive form; 400 for a bad locale or parameter', async () => {
    expect((await app.http().get('/api/consent/forms/nope')).status).toBe(404);
    await api.put('/consent/forms/signup', { active: false });
    expect((await app.http().get('/api/consent/forms/signup')).status).toBe(404);
    await api.put('/consent/forms/signup', { active: true });
    expect((await app.http().get('/api/consent/forms/signup?locale=<script>')).status).toBe(400);
    expect((await app.http().get('/api/consent/forms/signup?debug=1')).status).toBe(400);
  });
});
