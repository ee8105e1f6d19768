/**
 * Versioned notices (spec 3, 4.3): numbered drafts per purpose and locale, publishing refused without the
 * A7 minimum information, a SHA-256 hash of the documented canonical form fixed at publication (A9), the
 * previous version retired and still readable, published versions immutable on every path, and a material
 * change marking older consents as needing re-consent (A11).
 */
import { createHash } from 'node:crypto';
import { TABLE, UID } from '../../server/src/constants';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { rejectionOf } from '../harness/errors';
import { consentEvent } from '../harness/fixtures';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let api: ReturnType<typeof adminApi>;
beforeAll(async () => {
  app = await bootStrapi();
  api = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  await api.post('/consent/purposes', {
    key: 'newsletter',
    name: 'Newsletter',
    legalBasis: 'consent',
    channels: ['email'],
  });
  await api.post('/consent/purposes', {
    key: 'catalogue',
    name: 'Catalogue',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-2026-01',
    channels: ['postal'],
  });
});
afterAll(() => replayThenStop(app));

const complete = {
  purpose: 'newsletter',
  locale: 'de',
  title: 'Newsletter per E-Mail',
  body: 'Wir senden Ihnen monatlich unseren Newsletter.',
  dataCategories: ['E-Mail-Adresse'],
  recipients: [],
  privacyPolicyUrl: 'https://example.com/datenschutz',
};

/** An independent implementation of docs/notices.md's canonical form: sorted keys, NFC, no whitespace. */
const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(typeof v === 'string' ? v.normalize('NFC') : v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v as object)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

describe('drafts', () => {
  it('numbers versions per purpose and locale, starting at 1', async () => {
    const res = await api.post('/consent/notices', complete);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ version: 1, status: 'draft', hash: null, locale: 'de', missing: [] });
  });

  it('keeps one open draft per purpose and locale (409 names it)', async () => {
    const res = await api.post('/consent/notices', complete);
    expect(res.status).toBe(409);
    expect(res.body.error.details.draftId).toEqual(expect.any(Number));
  });

  it.each([
    [{ purpose: 'unknown' }, 'purpose'],
    [{ locale: 'german' }, 'locale'],
    [{ privacyPolicyUrl: 'privacy.html' }, 'privacyPolicyUrl'],
    [{ dataCategories: [''] }, 'dataCategories[0]'],
    [{ defaultChecked: true }, ''],
  ])('400 for %j', async (over, field) => {
    const res = await api.post('/consent/notices', { ...complete, locale: 'fr', ...over });
    expect(res.status).toBe(400);
    if (field) expect(JSON.stringify(res.body.error)).toContain(field);
  });
});

describe('the A7 checklist (A7)', () => {
  let id: number;
  beforeAll(async () => {
    const res = await api.post('/consent/notices', { purpose: 'newsletter', locale: 'en', title: 'News', body: '' });
    id = res.body.data.id;
  });

  it('shows the editor what is missing', async () => {
    const res = await api.get(`/consent/notices/${id}`);
    expect(res.body.data.missing).toEqual(['purpose', 'dataCategories', 'recipients', 'privacyPolicyUrl']);
  });

  it('A7: a draft saves without its privacy link; the checklist and publishing wait for it', async () => {
    const res = await api.put(`/consent/notices/${id}`, { privacyPolicyUrl: null, body: 'Monthly news.' });
    expect(res.status).toBe(200);
    expect(res.body.data.missing).toEqual(['dataCategories', 'recipients', 'privacyPolicyUrl']);
    expect((await api.put(`/consent/notices/${id}`, { privacyPolicyUrl: 'privacy.html' })).status).toBe(400);
    await api.put(`/consent/notices/${id}`, { body: '' });
  });

  it('A7: gives the editor’s live checklist the configured controller', async () => {
    const res = await api.get('/consent/notices/checklist');
    expect(res.status).toBe(200);
    expect(res.body.data.controller).toEqual({
      name: expect.any(String),
      address: expect.any(String),
      contact: expect.any(String),
    });
    expect(res.body.data.controller.name).not.toBe('');
  });

  it('refuses to publish, naming every missing element, and changes nothing', async () => {
    const res = await api.post(`/consent/notices/${id}/publish`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.missing).toEqual(['purpose', 'dataCategories', 'recipients', 'privacyPolicyUrl']);
    expect((await api.get(`/consent/notices/${id}`)).body.data.status).toBe('draft');
  });

  it('accepts `recipients: []` as the statement that there are none', async () => {
    await api.put(`/consent/notices/${id}`, {
      body: 'Monthly news.',
      dataCategories: ['email address'],
      recipients: [],
      privacyPolicyUrl: 'https://example.com/privacy',
    });
    expect((await api.get(`/consent/notices/${id}`)).body.data.missing).toEqual([]);
  });

  it('needs the editor’s own withdrawal sentence in a language without a standard one', async () => {
    const it = await api.post('/consent/notices', { ...complete, locale: 'it' });
    expect(it.body.data.missing).toEqual(['rightToWithdraw']);
    const fixed = await api.put(`/consent/notices/${it.body.data.id}`, {
      withdrawalText: 'Puoi revocare il consenso in qualsiasi momento.',
    });
    expect(fixed.body.data).toMatchObject({
      missing: [],
      withdrawal: 'Puoi revocare il consenso in qualsiasi momento.',
    });
  });

  it('states the right to object, not to withdraw, for legitimate interest', async () => {
    const res = await api.post('/consent/notices', { ...complete, purpose: 'catalogue', locale: 'en' });
    expect(res.body.data.withdrawal).toMatch(/object to this processing/);
  });
});

describe('publishing (A9)', () => {
  let v1: { id: number; hash: string };

  it('fixes the SHA-256 of the canonical form', async () => {
    const draft = (await api.get('/consent/notices?purpose=newsletter&locale=de')).body.data[0];
    const res = await api.post(`/consent/notices/${draft.id}/publish`);
    expect(res.status).toBe(200);
    v1 = res.body.data;
    expect(res.body.data).toMatchObject({ status: 'published', effectiveAt: expect.any(String) });
    const controller = app.strapi.config.get('plugin::consent.controller') as object;
    const expected = createHash('sha256')
      .update(
        canonical({
          purpose: 'newsletter',
          language: 'de',
          version: 1,
          legalBasis: 'consent',
          title: complete.title,
          body: complete.body,
          withdrawal: res.body.data.withdrawal,
          dataCategories: complete.dataCategories,
          recipients: [],
          privacyPolicyUrl: complete.privacyPolicyUrl,
          controller,
        })
      )
      .digest('hex');
    expect(v1.hash).toBe(expected);
    expect(res.body.data.withdrawal).toMatch(/jederzeit kostenlos widerrufen/);
  });

  it('a published version never changes through the API', async () => {
    const res = await api.put(`/consent/notices/${v1.id}`, { title: 'Edited' });
    expect(res.status).toBe(409);
    expect((await api.post(`/consent/notices/${v1.id}/publish`)).status).toBe(409);
    expect((await api.del(`/consent/notices/${v1.id}`)).status).toBe(409);
  });

  it('nor through the query engine or the Document Service', async () => {
    const q = app.strapi.db.query(UID.notice);
    expect(await rejectionOf(q.update({ where: { id: v1.id }, data: { title: 'Edited' } }))).toMatch(
      /can never change/
    );
    expect(await rejectionOf(q.updateMany({ where: { purpose: 'newsletter' }, data: { body: 'x' } }))).toMatch(
      /can never change/
    );
    expect(await rejectionOf(q.delete({ where: { id: v1.id } }))).toMatch(/kept as proof/);
    const row = await q.findOne({ where: { id: v1.id } });
    expect(
      await rejectionOf(
        app.strapi.documents(UID.notice).update({ documentId: row.documentId, data: { title: 'x' } } as never)
      )
    ).toMatch(/can never change/);
    expect((await api.get(`/consent/notices/${v1.id}`)).body.data).toMatchObject({
      title: complete.title,
      hash: v1.hash,
    });
  });

  it('an edit starts a new version; publishing it retires the previous one, which stays readable', async () => {
    const v2 = await api.post('/consent/notices', { ...complete, body: `${complete.body} Jetzt wöchentlich.` });
    expect(v2.body.data.version).toBe(2);
    const published = await api.post(`/consent/notices/${v2.body.data.id}/publish`);
    expect(published.body.data.status).toBe('published');
    expect(published.body.data.hash).not.toBe(v1.hash);
    const old = await api.get(`/consent/notices/${v1.id}`);
    expect(old.body.data).toMatchObject({
      status: 'retired',
      retiredAt: expect.any(String),
      hash: v1.hash,
      body: complete.body,
    });
    const versions = (await api.get('/consent/notices?purpose=newsletter&locale=de')).body.data;
    expect(versions.map((n: { version: number; status: string }) => [n.version, n.status])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
  });
});

describe('a material change (A11)', () => {
  // Through the ledger, the one write path: the states stay a replay of it (checked after the file).
  const state = (subject: string, notice: { id: number; version: number; locale: string }) =>
    app.strapi
      .plugin('consent')
      .service('ledger')
      .append([
        consentEvent({ subject, noticeId: notice.id, noticeVersion: notice.version, noticeLanguage: notice.locale }),
      ]);

  it('marks consents given under older versions of that text as needing re-consent, and only those', async () => {
    const versions = (await api.get('/consent/notices?purpose=newsletter&locale=de')).body.data;
    const current = versions.find((n: { status: string }) => n.status === 'published');
    const retired = versions.find((n: { status: string }) => n.status === 'retired');
    const english = (await api.get('/consent/notices?purpose=newsletter&locale=en')).body.data[0];
    await state('under-retired', retired);
    await state('under-current', current);
    await state('under-english-draft', english);

    const nonMaterial = await api.post('/consent/notices', { ...complete, body: 'Typo fixed.' });
    const r1 = await api.post(`/consent/notices/${nonMaterial.body.data.id}/publish`);
    expect(r1.body.data.reconsentMarked).toBe(0);

    const statesBefore = await app.strapi.db.connection(TABLE.state).select('*').orderBy('id');
    const material = await api.post('/consent/notices', {
      ...complete,
      body: 'Now also partner offers.',
      material: true,
    });
    const r2 = await api.post(`/consent/notices/${material.body.data.id}/publish`);
    expect(r2.status).toBe(200);
    expect(r2.body.data.reconsentMarked).toBe(2);
    // Publishing writes no state: the flag is derived from the notice versions when read.
    expect(await app.strapi.db.connection(TABLE.state).select('*').orderBy('id')).toEqual(statesBefore);

    const reconsent = await app.strapi.plugin('consent').service('catalogue').reconsent(['newsletter']);
    const flags = Object.fromEntries(
      (await app.strapi.db.query(UID.state).findMany()).map((s: { subject: string; noticeId: number }) => [
        s.subject,
        reconsent(s),
      ])
    );
    expect(flags).toEqual({ 'under-retired': true, 'under-current': true, 'under-english-draft': false });

    // A second material version marks only those the first did not: the others already need re-consent.
    const again = await api.post('/consent/notices', { ...complete, body: 'Now also phone calls.', material: true });
    const r3 = await api.post(`/consent/notices/${again.body.data.id}/publish`);
    expect(r3.body.data.reconsentMarked).toBe(0);
  });
});
