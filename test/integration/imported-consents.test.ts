/**
 * Consent captured elsewhere (spec 4.2 `POST /api/consent/events`): a call centre, paper forms, a partner
 * or a lead seller. Requirement J2 (imports without per-person proof stay ineligible), with C1 (soft opt-in
 * evidence arriving by import).
 */
import { createApiToken } from '../harness/api-token';
import { publishNotice, rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let token: string;
let notices: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';
const DAY = 86_400_000;

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal', 'sms', 'service']));
  await app.strapi
    .plugin('consent')
    .service('purposes')
    .create({
      key: 'customer-offers',
      name: 'Offers for customers',
      legalBasis: 'legitimate-interest',
      balancingTest: 'LIA-2026-01',
      channels: ['email', 'sms'],
      softOptIn: true,
    });
  await publishNotice(app.strapi, 'customer-offers');
  token = await createApiToken(app.strapi, 'crm');
});
afterAll(() => replayThenStop(app));

const consent = () => app.strapi.plugin('consent');
const knex = () => app.strapi.db.connection;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const SOURCE = { type: 'third-party', name: 'LeadCo' };
/** Every element J2 asks for; the controller of the playground is "Example Shop SAS". */
const PROOF = {
  formVersion: 'leadco-form-v3',
  timestamp: ago(2),
  recipients: ['Partner GmbH', 'Example Shop SAS'],
  uiEvidence: 'https://leadco.example/proof/form-v3.png',
};

const send = (body: unknown, key: string | null = token) => {
  const req = app.http().post('/api/consent/events');
  return (key ? req.set('Authorization', `Bearer ${key}`) : req).send(body as object);
};
/** A grant of the newsletter; `proof: null` sends none. */
const grant = (email: string, proof: Record<string, unknown> | null = PROOF, extra: Record<string, unknown> = {}) => ({
  subject: { email },
  purpose: 'newsletter',
  channel: 'email',
  action: 'granted',
  occurredAt: ago(2),
  method: 'import',
  ...(proof ? { proof } : {}),
  ...extra,
});
const check = (email: string, purpose = 'newsletter', channel?: string) =>
  consent().service('eligibility').check(purpose, channel, { email });
const eventsOf = (subject: string) => knex()('consent_events').where({ subject }).orderBy('seq');
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const counts = () => rowCounts(app.strapi);

describe('J2: imported grants and their proof', () => {
  it('J2: a grant with every proof element is recorded as it happened (method import, actor import:<source>, { source, proof }) and counts', async () => {
    const occurredAt = ago(2);
    const res = await send({ source: SOURCE, events: [grant('Zoe@Example.com', PROOF, { occurredAt })] });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      recorded: 1,
      unproven: 0,
      skipped: 0,
      events: [
        {
          index: 0,
          subject: expect.stringMatching(/^[0-9a-f-]{36}$/),
          status: 'recorded',
          state: 'granted',
          eventId: expect.any(String),
        },
      ],
    });
    const [event] = await eventsOf(res.body.data.events[0].subject);
    expect(event).toMatchObject({
      event_id: res.body.data.events[0].eventId,
      action: 'granted',
      method: 'import',
      actor: 'import:LeadCo',
    });
    // The time it happened, not the time it reached us.
    expect(new Date(event.occurred_at).toISOString()).toBe(occurredAt);
    expect(json(event.evidence)).toEqual({ source: SOURCE, proof: PROOF });
    expect(await check('zoe@example.com')).toMatchObject({ eligible: true, state: 'granted', reasons: [] });
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  });

  it('J2: a grant missing any element is recorded, then revoked by the plugin at once: ineligible, reason unproven-import', async () => {
    const { formVersion, timestamp, recipients, uiEvidence } = PROOF;
    const cases: [string, Record<string, unknown> | null, string[]][] = [
      ['no-form@example.com', { timestamp, recipients, uiEvidence }, ['formVersion']],
      ['no-time@example.com', { formVersion, recipients, uiEvidence }, ['timestamp']],
      ['no-recipients@example.com', { formVersion, timestamp, uiEvidence }, ['recipients']],
      ['not-us@example.com', { formVersion, timestamp, recipients: ['Partner GmbH'], uiEvidence }, ['recipients']],
      ['no-ui@example.com', { formVersion, timestamp, recipients }, ['uiEvidence']],
      ['nothing@example.com', null, ['formVersion', 'timestamp', 'recipients', 'uiEvidence']],
    ];
    const res = await send({ source: SOURCE, events: cases.map(([email, proof]) => grant(email, proof)) });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ recorded: 0, unproven: cases.length, skipped: 0 });
    for (const [i, [email, , missing]] of cases.entries()) {
      const outcome = res.body.data.events[i];
      expect([email, outcome.status, outcome.state, outcome.missing]).toEqual([email, 'unproven', 'revoked', missing]);
      const [granted, revoked] = await eventsOf(outcome.subject);
      expect(granted).toMatchObject({ action: 'granted', actor: 'import:LeadCo', event_id: outcome.eventId });
      expect(revoked).toMatchObject({ action: 'revoked', state: 'revoked', actor: 'system', method: 'import' });
      expect(json(revoked.evidence)).toEqual({ reason: 'proof-incomplete', missing });
      expect(Number(revoked.seq)).toBe(Number(granted.seq) + 1);
      expect(await check(email)).toEqual({
        eligible: false,
        state: 'revoked',
        basis: 'consent',
        reasons: ['unproven-import'],
      });
    }
    // Bulk checks read the reason too.
    const bulk = await consent()
      .service('eligibility')
      .checkMany('newsletter', 'email', [{ email: 'no-ui@example.com' }, { email: 'zoe@example.com' }]);
    expect(bulk.map((a: { reasons: string[] }) => a.reasons)).toEqual([['unproven-import'], []]);
  });

  it('J2: a screenshot reference stands for the form version; first-party sources (call centre, paper) need the same proof', async () => {
    const rest = { timestamp: PROOF.timestamp, recipients: PROOF.recipients, uiEvidence: PROOF.uiEvidence };
    const res = await send({
      source: { type: 'first-party', name: 'Call centre' },
      events: [
        grant('shot@example.com', { ...rest, screenshot: 's3://proofs/shot.png' }),
        grant('paper@example.com', { ...rest }),
      ],
    });
    expect(res.body.data.events.map((e: { status: string }) => e.status)).toEqual(['recorded', 'unproven']);
    expect((await eventsOf(res.body.data.events[0].subject))[0].actor).toBe('import:Call centre');
  });

  it("J2: the person's own opt-in later on counts (the revocation concerned the import only)", async () => {
    const res = await app
      .http()
      .post('/api/consent/submissions')
      .set('Origin', ORIGIN)
      .send({
        form: 'signup',
        subject: { email: 'nothing@example.com' },
        choices: { newsletter: true },
        notices: { newsletter: notices.newsletter },
      });
    expect(res.status).toBe(201);
    expect(await check('nothing@example.com')).toMatchObject({ eligible: true, state: 'granted' });
  });

  it('J2: a notice of ours named in the proof is recorded on the event; one that does not match → 400', async () => {
    const notice = await consent().service('notices').current('newsletter', 'en');
    const res = await send({
      source: SOURCE,
      events: [grant('noticed@example.com', { ...PROOF, noticeId: notice.id, noticeHash: notice.contentHash })],
    });
    expect(res.status).toBe(201);
    const [event] = await eventsOf(res.body.data.events[0].subject);
    expect(event).toMatchObject({
      notice_id: notice.id,
      notice_version: notice.version,
      notice_hash: notice.contentHash,
      notice_language: 'en',
    });

    const bad = await send({
      source: SOURCE,
      events: [grant('noticed@example.com', { ...PROOF, noticeId: notice.id, noticeHash: 'f'.repeat(64) })],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['events', '0', 'proof', 'noticeId']);
  });
});

describe('C1: soft opt-in evidence by import', () => {
  const SOFT = { sale: 'order-1001', similarProducts: true, objectionOffered: true };
  const customer = (email: string, softOptIn: Record<string, unknown>, action = 'granted') => ({
    subject: { email },
    purpose: 'customer-offers',
    channel: 'email',
    action,
    occurredAt: ago(1),
    method: 'api',
    proof: { softOptIn },
  });

  it('C1: proof.softOptIn lands in the event evidence.softOptIn, which eligibility reads', async () => {
    const res = await send({
      source: { type: 'first-party', name: 'Shop' },
      events: [
        customer('buyer@example.com', SOFT),
        customer('half@example.com', { sale: true, objectionOffered: true }),
        customer('no@example.com', SOFT, 'objected'),
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.data.events.map((e: { status: string; state: string }) => `${e.status}:${e.state}`)).toEqual([
      'recorded:granted',
      'recorded:granted',
      'recorded:objected',
    ]);
    const [event] = await eventsOf(res.body.data.events[0].subject);
    expect(event.method).toBe('api');
    expect(json(event.evidence)).toEqual({ source: { type: 'first-party', name: 'Shop' }, softOptIn: SOFT });
    expect(json((await eventsOf(res.body.data.events[2].subject))[0].evidence).softOptIn).toEqual(SOFT);

    expect(await check('buyer@example.com', 'customer-offers', 'email')).toMatchObject({ eligible: true, reasons: [] });
    expect(await check('half@example.com', 'customer-offers', 'email')).toMatchObject({
      eligible: false,
      reasons: ['soft-opt-in-incomplete'],
    });
    expect(await check('no@example.com', 'customer-offers', 'email')).toMatchObject({
      eligible: false,
      reasons: ['objected'],
    });
  });
});

describe('J2: the order of events', () => {
  it("a call's events are recorded in time order, whatever the order sent; answers keep the order sent", async () => {
    const res = await send({
      source: SOURCE,
      events: [
        { ...grant('order@example.com'), action: 'withdrawn', occurredAt: ago(1) },
        { ...grant('order@example.com'), occurredAt: ago(3) },
      ],
    });
    expect(res.status).toBe(201);
    expect(
      res.body.data.events.map((e: { index: number; status: string; state: string }) => [e.index, e.status, e.state])
    ).toEqual([
      [0, 'recorded', 'withdrawn'],
      [1, 'recorded', 'withdrawn'],
    ]);
    const events = await eventsOf(res.body.data.events[0].subject);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['granted', 'withdrawn']);
    expect(await check('order@example.com')).toMatchObject({ eligible: false, state: 'withdrawn' });
  });

  it("an event older than the ledger's last word is skipped (a withdrawal is never undone by an older grant); a refusal never withdraws", async () => {
    await app
      .http()
      .post('/api/consent/submissions')
      .set('Origin', ORIGIN)
      .send({
        form: 'signup',
        subject: { email: 'left@example.com' },
        choices: { newsletter: true, partners: true },
        notices,
      });
    await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'left@example.com' }, purposes: ['newsletter'] });
    const before = await counts();
    const res = await send({
      source: SOURCE,
      events: [
        grant('left@example.com', PROOF, { occurredAt: ago(7) }),
        { ...grant('left@example.com'), purpose: 'partners', action: 'refused', occurredAt: new Date().toISOString() },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      recorded: 0,
      skipped: 2,
      events: [
        { index: 0, status: 'skipped', reason: 'older-than-ledger', state: 'withdrawn' },
        { index: 1, status: 'skipped', reason: 'refusal-does-not-withdraw', state: 'granted' },
      ],
    });
    expect(await counts()).toEqual(before);
    expect(await check('left@example.com')).toMatchObject({ eligible: false, state: 'withdrawn' });
    expect(await check('left@example.com', 'partners')).toMatchObject({ eligible: true });
  });
});

describe('J2: validation: 400 naming the field, and nothing written', () => {
  const valid = grant('valid@example.com');
  const cases: [string, unknown, string[]][] = [
    ['no source', { events: [valid] }, ['source']],
    ['an unknown source type', { source: { type: 'partner', name: 'X' }, events: [valid] }, ['source', 'type']],
    ['a blank source name', { source: { type: 'third-party', name: '  ' }, events: [valid] }, ['source', 'name']],
    ['no events', { source: SOURCE, events: [] }, ['events']],
    ['1,001 events', { source: SOURCE, events: Array.from({ length: 1001 }, () => valid) }, ['events']],
    ['an unknown top-level field', { source: SOURCE, events: [valid], dryRun: true }, []],
    [
      'an action imports cannot record',
      { source: SOURCE, events: [valid, { ...valid, action: 'confirmed' }] },
      ['events', '1', 'action'],
    ],
    [
      'a method imports cannot use',
      { source: SOURCE, events: [{ ...valid, method: 'form' }] },
      ['events', '0', 'method'],
    ],
    [
      'a time in the future',
      { source: SOURCE, events: [{ ...valid, occurredAt: new Date(Date.now() + DAY).toISOString() }] },
      ['events', '0', 'occurredAt'],
    ],
    [
      'a time without a time zone',
      { source: SOURCE, events: [{ ...valid, occurredAt: '2026-01-05T10:00:00' }] },
      ['events', '0', 'occurredAt'],
    ],
    [
      'a proof timestamp in the future',
      {
        source: SOURCE,
        events: [{ ...valid, proof: { ...PROOF, timestamp: new Date(Date.now() + DAY).toISOString() } }],
      },
      ['events', '0', 'proof', 'timestamp'],
    ],
    [
      'an unknown proof field',
      { source: SOURCE, events: [{ ...valid, proof: { ...PROOF, ip: '1.2.3.4' } }] },
      ['events', '0', 'proof'],
    ],
    [
      'a subject without identifier',
      { source: SOURCE, events: [{ ...valid, subject: {} }] },
      ['events', '0', 'subject'],
    ],
    [
      'an unknown purpose',
      { source: SOURCE, events: [valid, { ...valid, purpose: 'nope' }] },
      ['events', '1', 'purpose'],
    ],
    [
      'a channel the purpose is not on',
      { source: SOURCE, events: [{ ...valid, channel: 'sms' }] },
      ['events', '0', 'channel'],
    ],
    [
      'a grant of a legitimate-interest purpose without soft opt-in evidence',
      { source: SOURCE, events: [{ ...valid, purpose: 'postal', channel: 'postal' }] },
      ['events', '0', 'action'],
    ],
    [
      'a withdrawal of a contract purpose',
      { source: SOURCE, events: [{ ...valid, purpose: 'service', action: 'withdrawn' }] },
      ['events', '0', 'action'],
    ],
    [
      'soft opt-in evidence on a consent purpose',
      { source: SOURCE, events: [{ ...valid, proof: { ...PROOF, softOptIn: { sale: true } } }] },
      ['events', '0', 'proof', 'softOptIn'],
    ],
    [
      'a bad address in the third event',
      { source: SOURCE, events: [valid, valid, { ...valid, subject: { email: 'not an address' } }] },
      ['events', '2', 'subject', 'email'],
    ],
    [
      'a bad phone number',
      { source: SOURCE, events: [{ ...valid, subject: { phone: '12' } }] },
      ['events', '0', 'subject', 'phone'],
    ],
  ];

  it.each(cases)('%s', async (_name, body, path) => {
    const before = await counts();
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    if (path.length) expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path)).toContainEqual(path);
    expect(await counts()).toEqual(before);
  });

  it('403 without a token', async () => {
    expect((await send({ source: SOURCE, events: [valid] }, null)).status).toBe(403);
  });
});

it('J2: a full call of 1,000 events is recorded in one transaction; the ledger verifies', async () => {
  const events = Array.from({ length: 1000 }, (_, i) => grant(`bulk-${i}@example.com`, i % 10 === 0 ? null : PROOF));
  const started = Date.now();
  const res = await send({ source: SOURCE, events });
  expect(res.status).toBe(201);
  expect(res.body.data).toMatchObject({ recorded: 900, unproven: 100, skipped: 0 });
  expect(Date.now() - started).toBeLessThan(60_000);
  expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  const answers = await consent()
    .service('eligibility')
    .checkMany(
      'newsletter',
      'email',
      events.map((e) => ({ email: e.subject.email }))
    );
  expect(answers.filter((a: { eligible: boolean }) => a.eligible)).toHaveLength(900);
});
