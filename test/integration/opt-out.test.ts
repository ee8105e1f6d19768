/**
 * Every way out (spec 4.1, 4.2): one-click unsubscribe (RFC 8058), the preference centre, withdrawal and
 * objection by identifier, and the List-Unsubscribe header values. Requirements C4, C5, D1, D2, D5, D7,
 * D9, E1–E4.
 */
import { createApiToken } from '../harness/api-token';
import { rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let token: string;
let notices: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal']));
  token = await createApiToken(app.strapi, 'esp');
});
afterAll(() => replayThenStop(app));

const consent = () => app.strapi.plugin('consent');
const submit = (email: string, choices: Record<string, boolean>) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set('Origin', ORIGIN)
    .send({ form: 'signup', subject: { email }, choices, notices });
const headers = (email: string, purpose: string) =>
  app.http().get('/api/consent/headers').query({ email, purpose }).set('Authorization', `Bearer ${token}`);
const check = (email: string, purpose: string, channel?: string) =>
  consent().service('eligibility').check(purpose, channel, { email });
const path = (url: string) => new URL(url).pathname;

describe('E1, E2: List-Unsubscribe header values for an outgoing message', () => {
  it('one HTTPS-style URI with a signed token, and the One-Click post value; needs an API token', async () => {
    await submit('ada@example.com', { newsletter: true, partners: true });
    const res = await headers('ada@example.com', 'newsletter');
    expect(res.status).toBe(200);
    const { listUnsubscribe, listUnsubscribePost, unsubscribeUrl, preferencesUrl } = res.body.data;
    expect(listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
    expect(listUnsubscribe).toBe(`<${unsubscribeUrl}>`);
    expect(unsubscribeUrl).toMatch(/\/api\/consent\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(preferencesUrl).toMatch(/\/api\/consent\/preferences\//);
    expect(unsubscribeUrl).not.toContain('ada');
    expect(
      (await app.http().get('/api/consent/headers').query({ email: 'ada@example.com', purpose: 'newsletter' })).status
    ).toBe(403);
  });

  it('a recipient unknown to the ledger (legitimate-interest mail) still gets working links', async () => {
    const res = await headers('new@example.com', 'postal');
    expect(res.status).toBe(200);
    const page = await app.http().get(path(res.body.data.unsubscribeUrl)).set('Accept', 'text/html');
    expect(page.status).toBe(200);
  });
});

describe('E3, E4: RFC 8058 one-click', () => {
  let url: string;
  beforeAll(async () => {
    url = path((await headers('ada@example.com', 'newsletter')).body.data.unsubscribeUrl);
  });

  it('E4: GET shows a page with a one-click button and a link to the preference centre, and changes nothing', async () => {
    const before = await rowCounts(app.strapi);
    const page = await app.http().get(url).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<form method="post" action="${url}">`);
    expect(page.text).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(page.text).toMatch(/href="[^"]*\/api\/consent\/preferences\//);
    expect(await rowCounts(app.strapi)).toEqual(before);
    expect((await check('ada@example.com', 'newsletter')).eligible).toBe(true);
  });

  it('E3: POST List-Unsubscribe=One-Click (urlencoded) withdraws at once: 200, no redirect, no cookie (D1, D7)', async () => {
    const heard: string[] = [];
    const listener = async (p: { consent: { purpose: string; method: string } }) => {
      heard.push(`${p.consent.purpose}:${p.consent.method}`);
    };
    app.strapi.eventHub.on('consent.withdrawn', listener);
    const res = await app.http().post(url).type('form').send('List-Unsubscribe=One-Click');
    // Listeners hear of events once committed, without the response waiting for them.
    for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    app.strapi.eventHub.off('consent.withdrawn', listener);
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await check('ada@example.com', 'newsletter')).toMatchObject({
      eligible: false,
      state: 'withdrawn',
      reasons: ['withdrawn'],
    });
    // The link is list-specific: the other purpose stays (D5).
    expect((await check('ada@example.com', 'partners')).eligible).toBe(true);
    expect(heard).toEqual(['newsletter:one-click']);
    // Again: still 200, nothing new.
    const before = await rowCounts(app.strapi);
    expect((await app.http().post(url).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });

  it('E3: the same as multipart/form-data; a legitimate-interest purpose is objected to', async () => {
    const link = path((await headers('bob@example.com', 'postal')).body.data.unsubscribeUrl);
    const res = await app.http().post(link).field('List-Unsubscribe', 'One-Click');
    expect(res.status).toBe(200);
    expect(await check('bob@example.com', 'postal')).toMatchObject({
      eligible: false,
      state: 'objected',
      basis: 'legitimate-interest',
    });
    const event = await app.strapi.db
      .connection('consent_events')
      .where({ purpose: 'postal', action: 'objected' })
      .first();
    expect(event.method).toBe('one-click');
  });

  it('E2: a changed, made-up or wrong-use token → 400 and nothing changes; a POST without the one-click body → 400', async () => {
    await submit('cat@example.com', { newsletter: true });
    const good = path((await headers('cat@example.com', 'newsletter')).body.data.unsubscribeUrl);
    const [body, signature] = good.split('/').pop()!.split('.');
    const other = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), purposes: ['partners'] })
    ).toString('base64url');
    const preferences = path((await headers('cat@example.com', 'newsletter')).body.data.preferencesUrl)
      .split('/')
      .pop();
    const before = await rowCounts(app.strapi);
    for (const bad of [`${other}.${signature}`, `${body}.${'B'.repeat(43)}`, preferences, 'nonsense']) {
      const res = await app
        .http()
        .post(`/api/consent/unsubscribe/${bad}`)
        .type('form')
        .send('List-Unsubscribe=One-Click');
      expect(res.status).toBe(400);
    }
    expect((await app.http().post(good).type('form').send('foo=bar')).status).toBe(400);
    expect(await rowCounts(app.strapi)).toEqual(before);
    expect((await check('cat@example.com', 'newsletter')).eligible).toBe(true);
  });
});

describe('D5: the preference centre', () => {
  let url: string;
  beforeAll(async () => {
    await submit('dan@example.com', { newsletter: true });
    url = path((await headers('dan@example.com', 'newsletter')).body.data.preferencesUrl);
  });

  it('GET lists every purpose with a choice, its state per channel and the notice to read', async () => {
    const res = await app.http().get(url);
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(res.body.data.purposes.map((p: { key: string }) => [p.key, p]));
    expect(Object.keys(byKey).sort()).toEqual(['newsletter', 'partners', 'postal']);
    expect(byKey.newsletter.states).toEqual({ email: 'granted' });
    expect(byKey.partners.states).toEqual({ email: 'refused' });
    expect(byKey.partners.notice).toMatchObject({ version: notices.partners.version, hash: notices.partners.hash });
  });

  it('PUT grants one purpose (with the notice shown) and withdraws another in one call', async () => {
    const res = await app
      .http()
      .put(url)
      .send({ choices: { partners: true, newsletter: false }, notices: { partners: notices.partners } });
    expect(res.status).toBe(200);
    expect(res.body.data.states).toMatchObject({ partners: 'granted', newsletter: 'withdrawn' });
    const grant = await app.strapi.db
      .connection('consent_events')
      .where({ purpose: 'partners', action: 'granted', method: 'preference-center' })
      .first();
    expect(grant.notice_hash).toBe(notices.partners.hash);
  });

  it('granting without the notice shown → 400 (A9); an unknown purpose → 400', async () => {
    expect(
      (
        await app
          .http()
          .put(url)
          .send({ choices: { newsletter: true } })
      ).status
    ).toBe(400);
    expect(
      (
        await app
          .http()
          .put(url)
          .send({ choices: { nope: false } })
      ).status
    ).toBe(400);
  });

  it('the page works without JavaScript: "unsubscribe from everything" leaves every purpose', async () => {
    const page = await app.http().get(url).set('Accept', 'text/html');
    expect(page.text).toContain('value="leave-all"');
    const hidden = [...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(
      ([, n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`
    );
    const res = await app
      .http()
      .post(url)
      .set('Accept', 'text/html')
      .type('form')
      .send([...hidden, 'action=leave-all'].join('&'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your choices are saved');
    for (const purpose of ['newsletter', 'partners', 'postal'])
      expect((await check('dan@example.com', purpose)).eligible).toBe(false);
  });
});

describe('D2, C5: withdrawal and objection by identifier', () => {
  it('answers the same 202 for a known and an unknown person (no enumeration)', async () => {
    await submit('eve@example.com', { newsletter: true });
    const known = await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'eve@example.com' }, purposes: ['newsletter'] });
    const unknown = await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'nobody@example.com' }, purposes: ['newsletter'] });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    expect(await check('eve@example.com', 'newsletter')).toMatchObject({ eligible: false, state: 'withdrawn' });
  });

  it('C4, D9: an objection by someone never asked is on record before anyone contacts them, whatever the basis', async () => {
    await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'fay@example.com' }, purposes: ['postal'] });
    expect(await check('fay@example.com', 'postal')).toMatchObject({
      eligible: false,
      state: 'objected',
      reasons: ['objected'],
    });
  });

  it('"all" objects to every purpose and puts the address on the suppression list', async () => {
    await submit('gus@example.com', { newsletter: true, partners: true });
    const res = await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'GUS@example.com ' }, purposes: 'all' });
    expect(res.status).toBe(202);
    for (const purpose of ['newsletter', 'partners', 'postal'])
      expect((await check('gus@example.com', purpose)).eligible).toBe(false);
    const hash = consent().service('subjects').hash('email', 'gus@example.com');
    expect(await consent().service('suppression').matching([hash], 'email')).toEqual([
      expect.objectContaining({ identifierHash: hash, reason: 'objection' }),
    ]);
  });

  it('I2: the suppression entry outlives the identifiers (erasure) and still blocks the address', async () => {
    await submit('hal@example.com', { newsletter: true });
    await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'hal@example.com' }, purposes: 'all' });
    // What erasure does to the subject row: identifiers gone, pseudonym kept.
    await app.strapi.db
      .connection('consent_subjects')
      .where({ email: 'hal@example.com' })
      .update({ email: null, email_hash: null, phone: null, phone_hash: null });
    expect(await app.strapi.db.connection('consent_subjects').where({ email: 'hal@example.com' })).toHaveLength(0);
    for (const purpose of ['newsletter', 'postal']) {
      expect(await check('hal@example.com', purpose)).toMatchObject({
        eligible: false,
        reasons: expect.arrayContaining(['suppressed']),
      });
    }
  });

  it('the person\'s own later opt-in lifts their "all" entry for that consent purpose, and only that one', async () => {
    await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'ivy@example.com' }, purposes: 'all' });
    expect((await check('ivy@example.com', 'newsletter')).eligible).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    await submit('ivy@example.com', { newsletter: true });
    expect(await check('ivy@example.com', 'newsletter')).toMatchObject({ eligible: true, reasons: [] });
    expect((await check('ivy@example.com', 'partners')).eligible).toBe(false);
    expect((await check('ivy@example.com', 'postal')).eligible).toBe(false);
  });

  it('needs nothing but the identifier: missing identifier or a bad body → 400', async () => {
    expect((await app.http().post('/api/consent/withdrawals').send({ subject: {}, purposes: 'all' })).status).toBe(400);
    expect(
      (
        await app
          .http()
          .post('/api/consent/withdrawals')
          .send({ subject: { email: 'x@example.com' }, purposes: 'some' })
      ).status
    ).toBe(400);
  });
});

describe('C5: an objection received by letter or phone, entered by an admin', () => {
  it('takes the same path (method admin, the admin as actor) and blocks every channel; needs suppressions.manage', async () => {
    const { adminApi, createAdminWithActions, createSuperAdmin } = await import('../harness/admin');
    const admin = adminApi(app.strapi, await createSuperAdmin(app.strapi, 'staff@consent.test'));
    await submit('jo@example.com', { newsletter: true });
    const res = await admin.post('/consent/objections', {
      subject: { email: 'jo@example.com' },
      purposes: 'all',
      note: 'Letter of 2026-11-20',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.changed).toEqual(
      expect.arrayContaining([
        { purpose: 'newsletter', channel: 'email', action: 'withdrawn' },
        { purpose: 'postal', channel: 'postal', action: 'objected' },
      ])
    );
    const event = await app.strapi.db
      .connection('consent_events')
      .where({ action: 'objected', method: 'admin' })
      .first();
    expect(event.actor).toMatch(/^admin:\d+$/);
    for (const purpose of ['newsletter', 'partners', 'postal'])
      expect((await check('jo@example.com', purpose)).eligible).toBe(false);

    const reader = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'reader@consent.test', ['plugin::consent.records.read'])
    );
    expect(
      (await reader.post('/consent/objections', { subject: { email: 'x@example.com' }, purposes: 'all' })).status
    ).toBe(403);
  });
});

describe('a mailed link cut short or mangled', () => {
  it('E2, B1: opened in a browser it is the invalid-link page in the browser’s language (400), never JSON; an API client still gets JSON', async () => {
    const before = await rowCounts(app.strapi);
    for (const link of ['unsubscribe', 'preferences', 'confirm', 'renew', 'parental-consent']) {
      const page = await app
        .http()
        .get(`/api/consent/${link}/not-a-token`)
        .set('Accept', 'text/html')
        .set('Accept-Language', 'de');
      expect({ link, status: page.status, type: page.type }).toEqual({ link, status: 400, type: 'text/html' });
      expect(page.text).toContain('<html lang="de"');
      const api = await app.http().get(`/api/consent/${link}/not-a-token`).set('Accept', 'application/json');
      expect({ link, status: api.status, path: api.body.error?.details?.errors?.[0]?.path }).toEqual({
        link,
        status: 400,
        path: ['token'],
      });
    }
    expect(await rowCounts(app.strapi)).toEqual(before);
  });
});
