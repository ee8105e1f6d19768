/**
 * A valid opt-out is never refused (issue 15 §4; E3, D1, D2, N8). Mailbox providers send RFC 8058
 * one-click POSTs for many recipients from a few addresses: a link whose signed token holds is never
 * counted against the client's (IP) budget, only failed token checks are. Withdrawals by identifier are
 * limited per identifier, never per client. Every request here comes from the same IP (127.0.0.1), with a
 * public limit of 3 per window.
 */
import { confirmationLink, startSmtp, type SmtpListener } from '../harness/smtp';
import { rowCounts, setupForm, shownNotices, type Notices } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

const LIMIT = { max: 3, windowSeconds: 3600, perIdentifier: 2 };

let app: TestStrapi;
let smtp: SmtpListener;
let notices: Notices;

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({ env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) }, pluginConfig: { rateLimit: LIMIT } });
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'postal', 'doi']));
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

const consent = () => app.strapi.plugin('consent');
/** A grant through the capture service: people are set up without spending this IP's submission budget. */
const grant = (email: string, choices: Record<string, boolean>) =>
  consent()
    .service('capture')
    .submit(
      {
        form: 'signup',
        locale: 'en',
        subject: { email },
        choices,
        notices: Object.fromEntries(Object.keys(choices).map((k) => [k, notices[k]])),
      },
      { origin: 'https://shop.example', ownOrigins: [], gpc: false }
    );
const linksFor = async (email: string, purpose: string) => {
  const { unsubscribeUrl, preferencesUrl } = await consent().service('links').forMessage({ email }, purpose);
  return { unsubscribe: new URL(unsubscribeUrl).pathname, preferences: new URL(preferencesUrl).pathname };
};
const oneClick = (path: string) => app.http().post(path).type('form').send('List-Unsubscribe=One-Click');
const withdraw = (email: string, purposes: string[] | 'all' = ['newsletter']) =>
  app.http().post('/api/consent/withdrawals').send({ subject: { email }, purposes });
const check = (email: string, purpose: string) => consent().service('eligibility').check(purpose, undefined, { email });
/** This client's counted requests in a scope's current window. */
const clientHits = async (scope: string) => {
  const rows = await app.strapi.db
    .connection('consent_rate_limits')
    .where('bucket', 'like', `${scope}:ip:%`)
    .select('hits');
  return rows.reduce((n: number, r: { hits: number | string }) => n + Number(r.hits), 0);
};
/** Made-up, changed and wrong-use tokens for a route taking `valid`'s kind of token. */
const forgeries = (valid: string, otherUse: string) => {
  const [body, signature] = valid.split('.');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
  const changed = Buffer.from(JSON.stringify({ ...payload, sub: 'someone-else' })).toString('base64url');
  return [`${changed}.${signature}`, `${body}.${'B'.repeat(43)}`, otherUse, 'nonsense'];
};
const tokenOf = (path: string) => path.split('/').pop()!;

describe('E3, N8: one-click unsubscribe is never rate-limited', () => {
  it('E3, N8, D1: 12 valid one-click POSTs from one IP (public limit 3) all answer 200, each records its withdrawal, none is counted', async () => {
    const people = Array.from({ length: 12 }, (_, i) => `reader${i}@example.com`);
    const urls: string[] = [];
    for (const email of people) {
      await grant(email, { newsletter: true });
      urls.push((await linksFor(email, 'newsletter')).unsubscribe);
    }
    const statuses: number[] = [];
    for (const url of urls) statuses.push((await oneClick(url)).status);
    expect(statuses).toEqual(Array(12).fill(200));
    for (const email of people) {
      expect(await check(email, 'newsletter')).toMatchObject({ eligible: false, state: 'withdrawn' });
    }
    const events = await app.strapi.db
      .connection('consent_events')
      .where({ purpose: 'newsletter', action: 'withdrawn', method: 'one-click' });
    expect(events).toHaveLength(12);
    // The same links sent again (a provider retrying) are still answered, and change nothing.
    const again = await Promise.all(urls.slice(0, 6).map(oneClick));
    expect(again.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(await clientHits('opt-out')).toBe(0);
  });

  it('E2, E3: forged, changed and wrong-use tokens from that IP count: 400 up to the limit, then 429; nothing is written', async () => {
    await grant('target@example.com', { newsletter: true });
    const links = await linksFor('target@example.com', 'newsletter');
    const bad = forgeries(tokenOf(links.unsubscribe), tokenOf(links.preferences));
    const before = await rowCounts(app.strapi);
    const statuses: number[] = [];
    for (const token of [...bad, bad[0]]) statuses.push((await oneClick(`/api/consent/unsubscribe/${token}`)).status);
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
    const refused = await app.http().get(`/api/consent/preferences/${bad[1]}`);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
    expect(await rowCounts(app.strapi)).toEqual(before);
    expect(await check('target@example.com', 'newsletter')).toMatchObject({ eligible: true });
  });

  it('E3, D1, D2: once forged tokens have spent the IP budget, valid links from the same IP still work: one-click, unsubscribe page, preference centre', async () => {
    expect(await clientHits('opt-out')).toBeGreaterThan(LIMIT.max);
    await grant('late@example.com', { newsletter: true });
    const links = await linksFor('late@example.com', 'newsletter');
    expect((await app.http().get(links.unsubscribe).set('Accept', 'text/html')).status).toBe(200);
    expect((await app.http().get(links.preferences)).status).toBe(200);
    expect((await oneClick(links.unsubscribe)).status).toBe(200);
    expect(await check('late@example.com', 'newsletter')).toMatchObject({ eligible: false, state: 'withdrawn' });

    await grant('prefs@example.com', { newsletter: true });
    const prefs = (await linksFor('prefs@example.com', 'postal')).preferences;
    const put = await app
      .http()
      .put(prefs)
      .send({ choices: { newsletter: false, postal: false } });
    expect(put.status).toBe(200);
    expect(put.body.data.states).toMatchObject({ newsletter: 'withdrawn', postal: 'objected' });
    // The page's own form (POST) too.
    const page = await app
      .http()
      .post(prefs)
      .set('Accept', 'text/html')
      .type('form')
      .send('shown[]=newsletter&action=leave-all');
    expect(page.status).toBe(200);
    // And a forged token is still refused.
    expect((await oneClick('/api/consent/unsubscribe/nonsense.' + 'A'.repeat(43))).status).toBe(429);
  });
});

describe('E3, D1: confirmation links are never rate-limited either', () => {
  let path: string;
  beforeAll(async () => {
    await grant('doi@example.com', { doi: true });
    path = confirmationLink(await smtp.waitFor((m) => m.to.includes('doi@example.com'))).path;
  });

  it('E2: expired links and signed links that lead nowhere (410) are failed checks and count; past the limit an expired one gets 429', async () => {
    const tokens = consent().service('tokens');
    const now = Math.floor(Date.now() / 1000);
    const unknown = tokens.issue({
      use: 'confirm',
      sub: 'no-such-person',
      purposes: ['doi'],
      ref: 'gone',
      exp: now + 3600,
    });
    const expired = tokens.issue({
      use: 'confirm',
      sub: 'no-such-person',
      purposes: ['doi'],
      ref: 'old',
      exp: now - 60,
    });
    const before = await rowCounts(app.strapi);
    const statuses: number[] = [];
    for (const token of [unknown, unknown, expired, expired])
      statuses.push((await app.http().get(`/api/consent/confirm/${token}`)).status);
    expect(statuses).toEqual([410, 410, 410, 429]);
    expect(await clientHits('confirm')).toBe(4);
    const unsubscribe = tokenOf((await linksFor('doi@example.com', 'newsletter')).unsubscribe);
    for (const token of forgeries(tokenOf(path), unsubscribe)) {
      expect((await app.http().post(`/api/consent/confirm/${token}`)).status).toBe(429);
    }
    expect(await rowCounts(app.strapi)).toEqual(before);
  });

  it('E3, D1: after that, the valid confirmation link from the same IP shows its page and confirms (GET and POST)', async () => {
    const page = await app.http().get(path);
    expect(page.status).toBe(200);
    expect(page.body.data).toMatchObject({ confirmed: false });
    const res = await app.http().post(path);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'confirmed', states: { doi: 'granted' } });
    expect(await check('doi@example.com', 'doi')).toMatchObject({ eligible: true, state: 'granted' });
  });
});

describe('D2, N8: POST /withdrawals is limited per identifier, never per client', () => {
  it('D2, N8: withdrawals from one IP for 12 different people, known and unknown, all answer the same 202 and are recorded', async () => {
    const people = Array.from({ length: 12 }, (_, i) => `leaver${i}@example.com`);
    for (const email of people.filter((_, i) => i % 2 === 0)) await grant(email, { newsletter: true });
    const answers = [];
    for (const email of people) answers.push(await withdraw(email, ['newsletter', 'postal']));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(202));
    expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1);
    for (const [i, email] of people.entries()) {
      if (i % 2 === 0) expect(await check(email, 'newsletter')).toMatchObject({ eligible: false, state: 'withdrawn' });
      expect(await check(email, 'postal')).toMatchObject({ eligible: false, state: 'objected' });
    }
    expect(await clientHits('withdrawal')).toBe(0);
  });

  it('D2, B6: perIdentifier withdrawals per address, then 429 with nothing written, known or unknown alike; others still 202', async () => {
    await grant('busy@example.com', { newsletter: true });
    const statuses = async (email: string) => {
      const out: number[] = [];
      for (const variant of [email, email.toUpperCase(), ` ${email}`])
        out.push((await withdraw(variant, ['postal'])).status);
      return out;
    };
    const before = await rowCounts(app.strapi);
    expect(await statuses('busy@example.com')).toEqual([202, 202, 429]);
    expect(await statuses('stranger@example.com')).toEqual([202, 202, 429]);
    const refused = await withdraw('busy@example.com');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
    // What the 429s refused was not written: only the first (the objection) of each address changed anything.
    const after = await rowCounts(app.strapi);
    expect(after.events - before.events).toBe(2);
    expect(await check('busy@example.com', 'newsletter')).toMatchObject({ eligible: true });
    expect((await withdraw('someone-else@example.com')).status).toBe(202);
  });

  it('D2: an address that spent its submission limit can still withdraw (separate budgets)', async () => {
    await grant('eager@example.com', { newsletter: true });
    await grant('eager@example.com', { newsletter: true });
    await expect(grant('eager@example.com', { newsletter: true })).rejects.toMatchObject({ name: 'RateLimitError' });
    expect((await withdraw('eager@example.com')).status).toBe(202);
    expect(await check('eager@example.com', 'newsletter')).toMatchObject({ eligible: false, state: 'withdrawn' });
  });
});

describe('E2: bad input still gets a clear 4xx and writes nothing', () => {
  it('withdrawals: missing identifier, bad purposes, unknown fields, a bad address → 400; none is counted for the client', async () => {
    const before = await rowCounts(app.strapi);
    const post = (body: unknown) =>
      app
        .http()
        .post('/api/consent/withdrawals')
        .send(body as object);
    expect((await post({ subject: {}, purposes: 'all' })).status).toBe(400);
    expect((await post({ subject: { email: 'x@example.com' }, purposes: 'some' })).status).toBe(400);
    expect((await post({ subject: { email: 'x@example.com' }, purposes: 'all', extra: 1 })).status).toBe(400);
    expect((await post({ subject: { email: 'not an address' }, purposes: 'all' })).status).toBe(400);
    expect(
      (await post({ subject: { email: 'x@example.com' }, purposes: ['newsletter'], pad: 'x'.repeat(5000) })).status
    ).toBe(413);
    expect(await rowCounts(app.strapi)).toEqual(before);
    expect(await clientHits('withdrawal')).toBe(0);
  });

  it('a valid link with a bad body: 400 (wrong one-click body, bad choices) or 413 (too large), nothing written, not counted', async () => {
    await grant('careful@example.com', { newsletter: true });
    const links = await linksFor('careful@example.com', 'newsletter');
    const hits = await clientHits('opt-out');
    const before = await rowCounts(app.strapi);
    expect((await app.http().post(links.unsubscribe).type('form').send('foo=bar')).status).toBe(400);
    expect(
      (
        await app
          .http()
          .put(links.preferences)
          .send({ choices: { newsletter: 'no' } })
      ).status
    ).toBe(400);
    expect(
      (
        await app
          .http()
          .put(links.preferences)
          .send({ choices: { newsletter: false }, pad: 'x'.repeat(17 * 1024) })
      ).status
    ).toBe(413);
    expect(
      (
        await app
          .http()
          .post(links.unsubscribe)
          .type('form')
          .send(`List-Unsubscribe=One-Click&pad=${'x'.repeat(5000)}`)
      ).status
    ).toBe(413);
    expect(await rowCounts(app.strapi)).toEqual(before);
    expect(await clientHits('opt-out')).toBe(hits);
    expect(await check('careful@example.com', 'newsletter')).toMatchObject({ eligible: true });
  });
});
