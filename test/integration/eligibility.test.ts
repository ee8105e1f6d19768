/**
 * Eligibility (spec 4.2): `GET /api/consent/eligibility?purpose=&channel=&email=|phone=|subject=` answers
 * { eligible, state, basis, reasons[] }; `POST /api/consent/eligibility` the same for up to 10,000 subjects.
 * Server-to-server, authenticated by a Strapi API token. Every consent here is made through real
 * submissions (`POST /api/consent/submissions`), as a site's forms would make it.
 */
import {
  type Notices,
  publishNotice,
  PURPOSES,
  setupForm,
  shownNotices,
  submitConsent,
} from '../harness/consent-setup';
import { createApiToken } from '../harness/api-token';
import { checkEligibility } from '../harness/eligibility';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

type Query = Record<string, string>;

let app: TestStrapi;
let notices: Notices;
let fullKey: string;
const ALL = ['newsletter', 'partners', 'doi', 'postal', 'sms', 'service'] as const;

const createToken = (name: string, attributes: Record<string, unknown>) => createApiToken(app.strapi, name, attributes);

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, [...ALL]));
  fullKey = await createToken('full', { type: 'full-access' });
});
afterAll(() => replayThenStop(app));

/** A submission as a front end sends it: the notices of the purposes it displayed (by default, those in `choices`). */
const submit = (
  subject: Record<string, string>,
  choices: Record<string, boolean>,
  {
    headers = {},
    displayed = Object.keys(choices),
    shown = notices,
  }: { headers?: Record<string, string>; displayed?: string[]; shown?: Notices } = {}
) => submitConsent(app, subject, choices, shown, { headers, displayed });

const get = (query: Query, key: string | null = fullKey) => {
  const req = app.http().get('/api/consent/eligibility').query(query);
  return key ? req.set('Authorization', `Bearer ${key}`) : req;
};
const post = (body: object, key: string | null = fullKey) => {
  const req = app.http().post('/api/consent/eligibility');
  return (key ? req.set('Authorization', `Bearer ${key}`) : req).send(body);
};

/** The answer for one person, asserting the call succeeded. */
const check = (query: Query) => checkEligibility(app, fullKey, query);

describe('authentication (server-to-server, Strapi API tokens)', () => {
  beforeAll(() => submit({ email: 'auth@example.com' }, { newsletter: true }));
  const query = { purpose: 'newsletter', email: 'auth@example.com' };
  const body = { purpose: 'newsletter', subjects: [{ email: 'auth@example.com' }] };

  it('without a token, GET and POST are refused (users-permissions: public role has no grant → 403)', async () => {
    const g = await get(query, null);
    const p = await post(body, null);
    expect(g.status).toBe(403);
    expect(p.status).toBe(403);
    expect(g.body.data).toBeNull();
    expect(JSON.stringify(g.body)).not.toContain('granted');
  });

  it('an unknown token is refused with 401', async () => {
    expect((await get(query, 'f'.repeat(256))).status).toBe(401);
  });

  it('a full-access token works for both routes', async () => {
    const g = await get(query);
    expect(g.status).toBe(200);
    expect(g.body.data).toEqual({ eligible: true, state: 'granted', basis: 'consent', reasons: [] });
    const p = await post(body);
    expect(p.status).toBe(200);
    expect(p.body.data).toEqual([
      { ref: { email: 'auth@example.com' }, eligible: true, state: 'granted', basis: 'consent', reasons: [] },
    ]);
  });

  it('a custom token holding the plugin eligibility actions works; each action covers its own route', async () => {
    const actions = app.strapi.contentAPI.permissions.providers.action.keys();
    expect(actions).toEqual(
      expect.arrayContaining(['plugin::consent.eligibility.check', 'plugin::consent.eligibility.checkMany'])
    );

    const both = await createToken('eligibility', {
      type: 'custom',
      permissions: ['plugin::consent.eligibility.check', 'plugin::consent.eligibility.checkMany'],
    });
    expect((await get(query, both)).status).toBe(200);
    expect((await post(body, both)).status).toBe(200);

    const single = await createToken('eligibility single', {
      type: 'custom',
      permissions: ['plugin::consent.eligibility.check'],
    });
    expect((await get(query, single)).status).toBe(200);
    expect((await post(body, single)).status).toBe(403);
  });

  it('a custom token without the eligibility actions gets 403', async () => {
    const other = app.strapi.contentAPI.permissions.providers.action
      .keys()
      .find((a: string) => !a.startsWith('plugin::consent.eligibility.'));
    expect(other).toBeDefined();
    const key = await createToken('other', { type: 'custom', permissions: [other] });
    expect((await get(query, key)).status).toBe(403);
    expect((await post(body, key)).status).toBe(403);
  });

  it('a read-only token gets 403: an eligibility check is not a find', async () => {
    const key = await createToken('read only', { type: 'read-only' });
    expect((await get(query, key)).status).toBe(403);
  });
});

describe('one answer per state and legal basis', () => {
  it('granted → eligible, basis consent, no reasons', async () => {
    await submit({ email: 'granted@example.com' }, { newsletter: true });
    expect(await check({ purpose: 'newsletter', email: 'granted@example.com' })).toEqual({
      eligible: true,
      state: 'granted',
      basis: 'consent',
      reasons: [],
    });
  });

  it('a person unknown to the ledger → not eligible, state none, no-consent', async () => {
    expect(await check({ purpose: 'newsletter', email: 'nobody@example.com' })).toEqual({
      eligible: false,
      state: 'none',
      basis: 'consent',
      reasons: ['no-consent'],
    });
  });

  it('a box shown and left unticked → refused', async () => {
    await submit({ email: 'refuser@example.com' }, { partners: false });
    expect(await check({ purpose: 'partners', email: 'refuser@example.com' })).toEqual({
      eligible: false,
      state: 'refused',
      basis: 'consent',
      reasons: ['refused'],
    });
  });

  it('B1: a double opt-in purpose ticked but not confirmed → pending-confirmation', async () => {
    const res = await submit({ email: 'pending@example.com' }, { doi: true });
    expect(res.states.doi).toBe('pending');
    expect(await check({ purpose: 'doi', email: 'pending@example.com' })).toEqual({
      eligible: false,
      state: 'pending',
      basis: 'consent',
      reasons: ['pending-confirmation'],
    });
  });

  it('F1–F3: Sec-GPC: 1 objects to an honour-GPC purpose → objected', async () => {
    await submit({ email: 'gpc@example.com' }, {}, { headers: { 'Sec-GPC': '1' } });
    expect(await check({ purpose: 'newsletter', email: 'gpc@example.com' })).toEqual({
      eligible: false,
      state: 'objected',
      basis: 'consent',
      reasons: ['objected'],
    });
  });

  it('legitimate interest, nobody objected → eligible with basis legitimate-interest', async () => {
    expect(await check({ purpose: 'postal', email: 'stranger@example.com' })).toEqual({
      eligible: true,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: [],
    });
  });

  it('legitimate interest, the box ticked (the objection) → objected', async () => {
    const res = await submit({ email: 'objector@example.com' }, { postal: true });
    expect(res.states.postal).toBe('objected');
    expect(await check({ purpose: 'postal', email: 'objector@example.com' })).toEqual({
      eligible: false,
      state: 'objected',
      basis: 'legitimate-interest',
      reasons: ['objected'],
    });
  });

  it('C7: contract → eligible only with a current contract on record; known or not, without one → no-contract', async () => {
    await submit({ email: 'customer@example.com' }, { newsletter: false }, { displayed: ['newsletter', 'service'] });
    for (const email of ['customer@example.com', 'never-seen@example.com']) {
      expect(await check({ purpose: 'service', email })).toEqual({
        eligible: false,
        state: 'none',
        basis: 'contract',
        reasons: ['no-contract'],
      });
    }
    await app.strapi
      .plugin('consent')
      .service('relationships')
      .upsert(
        { subject: { email: 'customer@example.com' }, reference: 'order-1', startedAt: '2026-01-01T00:00:00Z' },
        'api'
      );
    expect(await check({ purpose: 'service', email: 'customer@example.com' })).toEqual({
      eligible: true,
      state: 'none',
      basis: 'contract',
      reasons: [],
    });
    expect(await check({ purpose: 'service', email: 'never-seen@example.com' })).toMatchObject({
      eligible: false,
      reasons: ['no-contract'],
    });
  });
});

describe('I7: a grant expires after the purpose lifetime (newsletter: 365 days)', () => {
  it('is granted today and expired 400 days from now, even before any expiry job ran', async () => {
    await submit({ email: 'expiring@example.com' }, { newsletter: true });
    const service = app.strapi.plugin('consent').service('eligibility');
    expect(await service.check('newsletter', 'email', { email: 'expiring@example.com' })).toMatchObject({
      eligible: true,
      state: 'granted',
    });
    expect(
      await service.check(
        'newsletter',
        'email',
        { email: 'expiring@example.com' },
        new Date(Date.now() + 400 * 86400e3)
      )
    ).toEqual({
      eligible: false,
      state: 'expired',
      basis: 'consent',
      reasons: ['expired'],
    });
    expect(
      await service.check(
        'newsletter',
        'email',
        { email: 'expiring@example.com' },
        new Date(Date.now() + 300 * 86400e3)
      )
    ).toMatchObject({
      eligible: true,
      state: 'granted',
    });
  });
});

describe('looking a person up', () => {
  it('by phone: a national number is stored in E.164 (jurisdiction fr) and found either way', async () => {
    const res = await submit({ phone: '06 12 34 56 78' }, { sms: true });
    expect(res.states.sms).toBe('granted');
    const stored = await app.strapi.db
      .connection('consent_subjects')
      .where({ pseudonym: res.receipt.piiPrincipalId })
      .first();
    expect(stored.phone).toBe('+33612345678');
    for (const phone of ['+33612345678', '0612345678', '06 12 34 56 78']) {
      for (const channel of ['sms', 'phone']) {
        expect(await check({ purpose: 'sms', channel, phone })).toEqual({
          eligible: true,
          state: 'granted',
          basis: 'consent',
          reasons: [],
        });
      }
    }
  });

  it('by subject pseudonym (the receipt piiPrincipalId)', async () => {
    const res = await submit({ email: 'pseudo@example.com' }, { newsletter: true });
    const subject = res.receipt.piiPrincipalId;
    expect(subject).toMatch(/^[0-9a-f-]{36}$/);
    expect(await check({ purpose: 'newsletter', subject })).toMatchObject({ eligible: true, state: 'granted' });
    expect(await check({ purpose: 'newsletter', subject: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      eligible: false,
      state: 'none',
      reasons: ['no-consent'],
    });
  });

  it('by email, normalised as at capture: " ALICE@Example.com " finds alice@example.com', async () => {
    await submit({ email: 'alice@example.com' }, { newsletter: true });
    expect(await check({ purpose: 'newsletter', email: ' ALICE@Example.com ' })).toMatchObject({
      eligible: true,
      state: 'granted',
    });
  });

  it('an invalid address is a 200 "nobody", not an error', async () => {
    expect(await check({ purpose: 'newsletter', email: 'not-an-email' })).toMatchObject({
      eligible: false,
      state: 'none',
    });
  });

  it('exactly one identifier, and a known purpose, or 400', async () => {
    expect((await get({ purpose: 'newsletter' })).status).toBe(400);
    expect((await get({ purpose: 'newsletter', email: 'a@example.com', phone: '+33612345678' })).status).toBe(400);
    expect((await get({ purpose: 'newsletter', subject: 'not-a-uuid' })).status).toBe(400);
    expect((await get({ purpose: 'no-such-purpose', email: 'a@example.com' })).status).toBe(400);
    expect((await get({ purpose: 'newsletter', email: 'a@example.com', extra: '1' })).status).toBe(400);
  });
});

describe('channels', () => {
  it('a purpose on two channels needs the channel (400 without it)', async () => {
    expect(PURPOSES.sms.channels).toEqual(['sms', 'phone']);
    const res = await get({ purpose: 'sms', phone: '+33612345678' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('channel');
    expect((await post({ purpose: 'sms', subjects: [{ phone: '+33612345678' }] })).status).toBe(400);
  });

  it('a purpose on one channel defaults to it', async () => {
    await submit({ email: 'onechannel@example.com' }, { newsletter: true });
    expect(await check({ purpose: 'newsletter', channel: 'email', email: 'onechannel@example.com' })).toMatchObject({
      eligible: true,
    });
    expect(await check({ purpose: 'newsletter', email: 'onechannel@example.com' })).toMatchObject({ eligible: true });
  });

  it('a channel the purpose does not cover → not eligible, channel-not-covered', async () => {
    await submit({ email: 'wrongchannel@example.com' }, { newsletter: true });
    const answer = await check({ purpose: 'newsletter', channel: 'sms', email: 'wrongchannel@example.com' });
    expect(answer.eligible).toBe(false);
    expect(answer.reasons).toContain('channel-not-covered');
    const li = await check({ purpose: 'postal', channel: 'email', email: 'wrongchannel@example.com' });
    // Every reason that applies: legitimate interest is not enough for email to a consumer in France either.
    expect(li).toMatchObject({ eligible: false, reasons: ['channel-not-covered', 'jurisdiction-rule'] });
  });

  it('an unknown channel name is 400', async () => {
    expect((await get({ purpose: 'newsletter', channel: 'pigeon', email: 'a@example.com' })).status).toBe(400);
  });
});

describe('D1: a change is visible to the very next check', () => {
  it('a GPC objection right after a grant makes the next check refuse', async () => {
    const email = 'flipflop@example.com';
    await submit({ email }, { newsletter: true });
    expect(await check({ purpose: 'newsletter', email })).toMatchObject({ eligible: true, state: 'granted' });
    await submit({ email }, {}, { headers: { 'Sec-GPC': '1' } });
    expect(await check({ purpose: 'newsletter', email })).toEqual({
      eligible: false,
      state: 'objected',
      basis: 'consent',
      reasons: ['objected'],
    });
  });

  it('the same without a check in between (no cache to warm)', async () => {
    const email = 'quick@example.com';
    await submit({ email }, { newsletter: true });
    await submit({ email }, {}, { headers: { 'Sec-GPC': '1' } });
    expect(await check({ purpose: 'newsletter', email })).toMatchObject({ eligible: false, reasons: ['objected'] });
  });
});

describe('bulk: POST /api/consent/eligibility', () => {
  it('answers 10,000 subjects in order, each echoing its reference', async () => {
    const known: Record<string, { eligible: boolean; state: string; reasons: string[] }> = {};
    for (let i = 0; i < 5; i++) {
      await submit({ email: `bulk-yes-${i}@example.com` }, { newsletter: true });
      known[`bulk-yes-${i}@example.com`] = { eligible: true, state: 'granted', reasons: [] };
      await submit({ email: `bulk-no-${i}@example.com` }, { newsletter: false });
      known[`bulk-no-${i}@example.com`] = { eligible: false, state: 'refused', reasons: ['refused'] };
    }
    await submit({ email: 'bulk-gpc@example.com' }, {}, { headers: { 'Sec-GPC': '1' } });
    known['bulk-gpc@example.com'] = { eligible: false, state: 'objected', reasons: ['objected'] };
    const pseudo = (await submit({ email: 'bulk-pseudo@example.com' }, { newsletter: true })).receipt.piiPrincipalId;
    known['bulk-pseudo@example.com'] = { eligible: true, state: 'granted', reasons: [] };

    const invalid = ['not-an-email', 'x@localhost', 'zero\u200bwidth@example.com', ''];
    const knownEmails = Object.keys(known);
    const subjects: Record<string, string>[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 997 === 3) subjects.push({ email: invalid[subjects.length % invalid.length] });
      else if (i % 500 === 7)
        subjects.push({ email: knownEmails[Math.floor(i / 500) % knownEmails.length].toUpperCase() });
      else if (i === 9_999) subjects.push({ subject: pseudo });
      else if (i % 100 === 1) subjects.push({ email: knownEmails[Math.floor(i / 100) % knownEmails.length] });
      else subjects.push({ email: `unknown-${i}@bulk.example` });
    }
    expect(subjects).toHaveLength(10_000);

    const started = Date.now();
    const res = await post({ purpose: 'newsletter', subjects });
    const took = Date.now() - started;
    console.log(`eligibility bulk (${app.database.engine}): 10,000 subjects in ${took} ms`);

    expect(res.status).toBe(200);
    const data = res.body.data as {
      ref: Record<string, string>;
      eligible: boolean;
      state: string;
      basis: string;
      reasons: string[];
    }[];
    expect(data).toHaveLength(10_000);
    const nobody = { eligible: false, state: 'none', reasons: ['no-consent'] };
    const expected = subjects.map((ref) => ({
      ref,
      basis: 'consent',
      ...(ref.subject ? known['bulk-pseudo@example.com'] : (known[ref.email.toLowerCase()] ?? nobody)),
    }));
    // One comparison: 10,000 separate `expect` calls take longer than the request itself.
    expect(data).toEqual(expected);
    // The mix really is a mix: every kind of answer is in there, more than once.
    const count = (state: string) => data.filter((d) => d.state === state).length;
    expect([count('granted'), count('refused'), count('objected')].every((n) => n > 5)).toBe(true);
    expect(data.filter((d) => invalid.includes(d.ref.email)).length).toBeGreaterThan(5);
  });

  it('refuses 10,001 subjects, an empty list and an entry with two identifiers (400)', async () => {
    const over = Array.from({ length: 10_001 }, (_, i) => ({ email: `u${i}@bulk.example` }));
    const res = await post({ purpose: 'newsletter', subjects: over });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('10000');
    expect((await post({ purpose: 'newsletter', subjects: [] })).status).toBe(400);
    expect(
      (await post({ purpose: 'newsletter', subjects: [{ email: 'a@example.com', phone: '+33612345678' }] })).status
    ).toBe(400);
    expect((await post({ purpose: 'newsletter', subjects: [{ email: 'a@example.com', name: 'A' }] })).status).toBe(400);
  });

  it('a mix of identifier types and channels in one call', async () => {
    const res = await post({
      purpose: 'sms',
      channel: 'phone',
      subjects: [
        { phone: '+33612345678' },
        { phone: '0612345678' },
        { phone: '+33699999999' },
        { email: 'alice@example.com' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.data.map((d: { eligible: boolean; state: string }) => [d.eligible, d.state])).toEqual([
      [true, 'granted'],
      [true, 'granted'],
      [false, 'none'],
      [false, 'none'],
    ]);
  });
});

// Last: a material publish changes the "partners" notice hash for every later submission.
describe('A11: a material change of the notice requires re-consent', () => {
  it('an earlier grant gives re-consent-required; a new grant under the new notice is eligible again', async () => {
    const email = 'reconsent@example.com';
    await submit({ email }, { partners: true });
    expect(await check({ purpose: 'partners', email })).toMatchObject({ eligible: true, state: 'granted' });

    const service = app.strapi.plugin('consent').service('notices');
    const draft = await service.createDraft({
      purpose: 'partners',
      locale: 'en',
      title: 'About partners (now with more partners)',
      body: 'We share your email address with our partners.',
      dataCategories: ['email address'],
      recipients: ['Partner GmbH', 'Other Partner SA'],
      privacyPolicyUrl: 'https://shop.example/privacy',
      material: true,
    });
    const published = await service.publish(draft.id);
    expect(published.reconsentMarked).toBeGreaterThanOrEqual(1);

    expect(await check({ purpose: 'partners', email })).toEqual({
      eligible: false,
      state: 'granted',
      basis: 'consent',
      reasons: ['re-consent-required'],
    });
    // Someone who refused is not asked to re-consent: they are still simply "refused".
    expect(await check({ purpose: 'partners', email: 'refuser@example.com' })).toMatchObject({ reasons: ['refused'] });

    const fresh = shownNotices(await app.strapi.plugin('consent').service('forms').definition('signup', 'en'));
    expect(fresh.partners).toEqual({ version: published.version, hash: published.hash });
    expect(fresh.partners.hash).not.toBe(notices.partners.hash);
    const again = await submit({ email }, { partners: true }, { shown: fresh });
    expect(again.states.partners).toBe('granted');
    expect(await check({ purpose: 'partners', email })).toEqual({
      eligible: true,
      state: 'granted',
      basis: 'consent',
      reasons: [],
    });
  });

  it('a non-material new version does not ask anyone again', async () => {
    const email = 'minor@example.com';
    await submit({ email }, { newsletter: true });
    await publishNotice(app.strapi, 'newsletter', 'en', 'About our newsletter (typo fixed)');
    expect(await check({ purpose: 'newsletter', email })).toEqual({
      eligible: true,
      state: 'granted',
      basis: 'consent',
      reasons: [],
    });
  });
});
