/**
 * The retention jobs (cron tasks `consent:consent-expiry`, `consent:prospect-purge`,
 * `consent:suppression-retention`; cron is off in tests, so the service methods are called with the
 * instant to judge at; configuration.test.ts checks that they are scheduled when cron is on): I7 grants past their lifetime expire in the ledger, I4 stale prospects lose their
 * identifiers, I3 suppression entries are kept at least 3 years and by default for ever. Each job is
 * idempotent and safe when two instances run it at once.
 */
import { TABLE } from '../../server/src/constants';
import { monthsBefore } from '../../server/src/domain/retention-rules';
import { ERASED_IDENTIFIERS, setupForm, shownNotices, submitConsent, withdrawConsent } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let notices: Record<string, { version: number; hash: string }>;
const DAY = 86_400_000;

beforeAll(async () => {
  // The French three-year rule for subscribers (I4, N8, N11) is on by default; this site is French.
  app = await bootStrapi();
  // newsletter: consent, lifetime 365 days; partners: consent, no lifetime; postal: legitimate interest.
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal']));
});
afterAll(() => replayThenStop(app));

const consent = () => app.strapi.plugin('consent');
const retention = () => consent().service('retention');
const knex = () => app.strapi.db.connection;

const submit = async (email: string, choices: Record<string, boolean>) =>
  (await submitConsent(app, { email }, choices, notices)).receipt.piiPrincipalId;
const withdraw = (email: string, purposes: string[] | 'all') => withdrawConsent(app, email, purposes);
const subjectRow = (pseudonym: string) => knex()(TABLE.subject).where({ pseudonym }).first();
const eventsOf = (pseudonym: string) => knex()(TABLE.event).where({ subject: pseudonym }).orderBy('seq');
const stateOf = async (pseudonym: string, purpose: string) =>
  (await knex()(TABLE.state).where({ subject: pseudonym, purpose }).first())?.state;
const evidenceOf = (e: { evidence: unknown }) => (typeof e.evidence === 'string' ? JSON.parse(e.evidence) : e.evidence);

describe('I7: grants past their lifetime expire in the ledger', () => {
  let ann: string;
  let bea: string;
  beforeAll(async () => {
    ann = await submit('ann@example.com', { newsletter: true, partners: true });
    bea = await submit('bea@example.com', { newsletter: true });
  });

  it('nothing is due before the lifetime ends', async () => {
    expect(await retention().expireConsents(new Date(Date.now() + 364 * DAY))).toEqual({ expired: 0 });
    expect(await stateOf(ann, 'newsletter')).toBe('granted');
  });

  it('eligibility answers expired before the job runs; the job makes the ledger say so', async () => {
    const later = new Date(Date.now() + 366 * DAY);
    const before = await consent()
      .service('eligibility')
      .check('newsletter', 'email', { email: 'ann@example.com' }, later);
    expect(before).toMatchObject({ eligible: false, state: 'expired', reasons: ['expired'] });
    expect(await stateOf(ann, 'newsletter')).toBe('granted');

    const heard: unknown[] = [];
    const listener = async (payload: unknown) => {
      heard.push(payload);
    };
    app.strapi.eventHub.on('consent.expired', listener);
    try {
      // Two instances at once: each grant expires once.
      const [first, second] = await Promise.all([retention().expireConsents(later), retention().expireConsents(later)]);
      expect(first.expired + second.expired).toBe(2);
      // Listeners hear of events once committed, without the append waiting for them.
      for (let i = 0; i < 100 && heard.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      app.strapi.eventHub.off('consent.expired', listener);
    }

    const expired = (await eventsOf(ann)).filter((e: { action: string }) => e.action === 'expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      purpose: 'newsletter',
      channel: 'email',
      state: 'expired',
      method: 'api',
      actor: 'system',
      legal_basis: 'consent',
    });
    expect(evidenceOf(expired[0])).toEqual({
      reason: 'lifetime',
      grantedAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(new Date(evidenceOf(expired[0]).expiresAt).getTime()).toBe(
      new Date(evidenceOf(expired[0]).grantedAt).getTime() + 365 * DAY
    );
    expect(await stateOf(ann, 'newsletter')).toBe('expired');
    expect(await stateOf(bea, 'newsletter')).toBe('expired');
    // A grant without a lifetime never lapses by time alone (BGH III ZR 196/17).
    expect(await stateOf(ann, 'partners')).toBe('granted');
    expect(heard).toHaveLength(2);

    const after = await consent()
      .service('eligibility')
      .check('newsletter', 'email', { email: 'ann@example.com' }, later);
    expect(after).toEqual(before);
  });

  it('is idempotent, and the chain stays whole', async () => {
    expect(await retention().expireConsents(new Date(Date.now() + 400 * DAY))).toEqual({ expired: 0 });
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  });

  it('a new grant after expiry starts a new lifetime', async () => {
    await submit('ann@example.com', { newsletter: true });
    expect(await stateOf(ann, 'newsletter')).toBe('granted');
    expect(await retention().expireConsents(new Date(Date.now() + 364 * DAY))).toEqual({ expired: 0 });
  });
});

describe('I4: prospects inactive for retention.prospectMonths lose their identifiers', () => {
  // 37 months on: everyone here was collected, and did their last own act, more than 36 months before.
  const later = () => new Date(Date.now() + 37 * 31 * DAY);
  const people: Record<string, string> = {};

  beforeAll(async () => {
    people.pia = await submit('pia@example.com', { newsletter: false }); // refused: a prospect
    // A current grant, no lifetime: the site is French, so the three years end his subscription too (I4).
    people.gus = await submit('gus@example.com', { partners: true });
    people.nina = await submit('nina@example.com', { newsletter: true }); // a grant that will lapse (365 days)
    people.olaf = await submit('olaf@example.com', { newsletter: false });
    await withdraw('olaf@example.com', ['postal']); // an objection to keep honouring
    people.hal = await submit('hal@example.com', { newsletter: false });
    await withdraw('hal@example.com', 'all'); // a suppression entry of his own
    people.act = await submit('act@example.com', { newsletter: false });
    people.sys = await submit('sys@example.com', { newsletter: false });

    // Within the period: act used the preference centre a month before `later`; only the plugin and the
    // site wrote about sys since (an expiry, an API correction, an admin's note): none of that is the person.
    const at = new Date(later().getTime() - 31 * DAY);
    const event = { purpose: 'partners', channel: 'email', legalBasis: 'consent', occurredAt: at } as const;
    await consent()
      .service('ledger')
      .append([
        {
          ...event,
          subject: people.act,
          action: 'refused',
          state: 'refused',
          method: 'preference-center',
          actor: 'subject',
        },
        {
          ...event,
          subject: people.sys,
          action: 'expired',
          state: 'expired',
          method: 'double-opt-in',
          actor: 'system',
        },
        { ...event, subject: people.sys, action: 'refused', state: 'refused', method: 'api', actor: 'api:crm' },
        { ...event, subject: people.sys, action: 'refused', state: 'refused', method: 'admin', actor: 'admin:1' },
      ]);
  });

  it('nobody collected within the period is touched', async () => {
    expect(await retention().purgeProspects(new Date(Date.now() + 35 * 31 * DAY))).toEqual({ purged: 0, expired: 0 });
    expect((await subjectRow(people.pia)).email).toBe('pia@example.com');
  });

  it('I4: the re-permission request goes out to French subscribers before the purge (test/integration/repermission.test.ts: the whole path)', async () => {
    // 31 days before `later`: asked (a `contacted` event by the system, never the person's act).
    const asked = await retention().requestRepermission(new Date(later().getTime() - 31 * DAY));
    expect(asked.requested).toBeGreaterThanOrEqual(1);
    // Sent by the messages worker, which records the request once the mail left.
    await app.strapi.plugin('consent').service('messages').wake();
    for (const id of asked.messages)
      expect((await app.strapi.plugin('consent').service('messages').find(id)).status).toBe('done');
    const request = (await eventsOf(people.gus)).filter((e: { action: string }) => e.action === 'contacted');
    expect(request).toEqual([
      expect.objectContaining({ method: 'api', actor: 'system', channel: 'email', purpose: 'partners' }),
    ]);
    expect(evidenceOf(request[0])).toMatchObject({ kind: 're-permission' });
    // Once: running again asks nobody twice.
    expect(await retention().requestRepermission(new Date(later().getTime() - 30 * DAY))).toEqual({
      requested: 0,
      messages: [],
    });
  });

  it('purges stale prospects, and French subscribers with no act of their own for 3 years (I4), as erasure clears them; keeps the recently active', async () => {
    const eventsBefore = Number((await knex()(TABLE.event).count({ n: '*' }))[0].n);
    const receiptsBefore = Number((await knex()(TABLE.receipt).count({ n: '*' }))[0].n);
    const suppressionsBefore = await knex()(TABLE.suppression).whereNot({ source: 'retention' }).orderBy('id');

    // Two instances at once: each person is purged once.
    const [a, b] = await Promise.all([retention().purgeProspects(later()), retention().purgeProspects(later())]);
    const purged = a.purged + b.purged;
    expect(a.expired + b.expired).toBeGreaterThanOrEqual(1); // nina's lapsed grant, expired first

    for (const name of ['pia', 'gus', 'nina', 'olaf', 'hal', 'sys']) {
      const row = await subjectRow(people[name]);
      expect([name, row]).toEqual([
        name,
        expect.objectContaining({
          pseudonym: people[name],
          ...ERASED_IDENTIFIERS,
          language: null,
          audience: null,
          erased_at: expect.anything(),
        }),
      ]);
      // The pseudonymous proof stays.
      expect((await eventsOf(people[name])).length).toBeGreaterThan(0);
    }
    expect((await subjectRow(people.act)).email).toBe('act@example.com');
    // Each person once, though two runs raced (everyone else of this file too: ann is a French subscriber).
    expect(purged).toBe(Number((await knex()(TABLE.subject).whereNotNull('erased_at').count({ n: '*' }))[0].n));
    expect(purged).toBeGreaterThanOrEqual(6);

    // Nina's grant lapsed: the ledger says so before her identifiers go.
    const nina = (await eventsOf(people.nina)).filter((e: { action: string }) => e.action === 'expired');
    expect(nina).toHaveLength(1);
    expect(evidenceOf(nina[0])).toMatchObject({ reason: 'lifetime' });
    // Gus's grant ends for inactivity (I4, retention.subscriberJurisdictions: ['fr']) before his identifiers go:
    // he was asked 31 days before and did not answer.
    const gus = (await eventsOf(people.gus)).filter((e: { action: string }) => e.action === 'expired');
    expect(gus).toHaveLength(1);
    expect(evidenceOf(gus[0])).toMatchObject({ reason: 'inactivity', months: 36 });
    expect(await stateOf(people.gus, 'partners')).toBe('expired');

    // Nothing else written to the ledger, receipts kept, existing suppression entries kept as they are.
    expect(Number((await knex()(TABLE.event).count({ n: '*' }))[0].n)).toBe(eventsBefore + a.expired + b.expired);
    expect(Number((await knex()(TABLE.receipt).count({ n: '*' }))[0].n)).toBe(receiptsBefore);
    expect(await knex()(TABLE.suppression).whereNot({ source: 'retention' }).orderBy('id')).toEqual(suppressionsBefore);
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  });

  it('is idempotent', async () => {
    expect(await retention().purgeProspects(later())).toEqual({ purged: 0, expired: 0 });
  });

  it("an objection outlives the purge as a suppression entry (I1, C4): olaf's address stays barred for post", async () => {
    const hash = consent().service('subjects').hash('email', 'olaf@example.com');
    const entries = await knex()(TABLE.suppression).where({ identifier_hash: hash });
    expect(entries).toEqual([
      expect.objectContaining({
        channel: 'postal',
        reason: 'objection',
        source: 'retention',
        identifier_type: 'email',
      }),
    ]);
    // Known again (a legitimate-interest mailing creates the subject anew): still not eligible for post.
    await consent().service('subjects').resolve({ email: 'olaf@example.com' }, {});
    const answer = await consent().service('eligibility').check('postal', 'postal', { email: 'olaf@example.com' });
    expect(answer).toMatchObject({ eligible: false, reasons: ['suppressed'] });
    // Pia never objected: no entry for her.
    expect(
      await knex()(TABLE.suppression).where({
        identifier_hash: consent().service('subjects').hash('email', 'pia@example.com'),
      })
    ).toEqual([]);
  });
});

describe('I3: suppression entries are kept at least suppressionMinMonths, by default for ever', () => {
  const now = new Date();
  const add = async (name: string, reason: string, monthsOld: number, channel = 'all') => {
    const hash = consent().service('subjects').hash('email', `${name}@example.com`);
    await consent()
      .service('suppression')
      .add([{ identifierHash: hash, identifierType: 'email', channel, reason, source: 'i3-test' }]);
    const createdAt = new Date(monthsBefore(now, monthsOld).getTime() - DAY);
    await knex()(TABLE.suppression)
      .where({ identifier_hash: hash, reason, source: 'i3-test' })
      .update({ created_at: createdAt });
    return hash;
  };
  const present = async (hash: string) =>
    (await knex()(TABLE.suppression).where({ identifier_hash: hash, source: 'i3-test' })).length > 0;
  const setRetention = (over: Record<string, unknown>) =>
    app.strapi.config.set('plugin::consent.retention', {
      ...app.strapi.config.get<Record<string, unknown>>('plugin::consent.retention'),
      ...over,
    });

  let hashes: Record<string, string>;
  beforeAll(async () => {
    hashes = {
      ancient: await add('ancient', 'unsubscribe', 61),
      bounced: await add('bounced', 'bounce', 61, 'email'),
      middle: await add('middle', 'objection', 40),
      young: await add('young', 'objection', 35),
      bloctel: await add('bloctel', 'opposition-list', 100, 'phone'),
      // Objected 61 months ago according to the entry, but again today (the entry keeps its first date).
      again: await add('again', 'unsubscribe', 61),
    };
    await withdraw('again@example.com', 'all');
  });
  afterAll(() => setRetention({ suppressionMaxMonths: null }));

  it('by default (suppressionMaxMonths: null) nothing is ever deleted', async () => {
    expect(app.strapi.config.get('plugin::consent.retention')).toEqual({
      prospectMonths: 36,
      subscriberJurisdictions: ['fr'],
      repermissionDays: 30,
      suppressionMinMonths: 36,
      suppressionMaxMonths: null,
      importBatchDays: 30,
      proofYears: 5,
      messageAddressDays: 30,
      webhookDeliveredDays: 7,
      webhookFailedDays: 90,
    });
    const count = await consent().service('suppression').count();
    expect(await retention().pruneSuppressions(new Date(now.getTime() + 100 * 365 * DAY))).toEqual({ deleted: 0 });
    expect(await consent().service('suppression').count()).toBe(count);
  });

  it('with a maximum: older entries go, except opposition lists and objections said again since', async () => {
    setRetention({ suppressionMaxMonths: 60 });
    const [a, b] = await Promise.all([retention().pruneSuppressions(now), retention().pruneSuppressions(now)]);
    expect(a.deleted + b.deleted).toBe(2);
    expect(await present(hashes.ancient)).toBe(false);
    expect(await present(hashes.bounced)).toBe(false);
    expect(await present(hashes.middle)).toBe(true);
    expect(await present(hashes.young)).toBe(true);
    expect(await present(hashes.bloctel)).toBe(true);
    expect(await present(hashes.again)).toBe(true);
    expect(await retention().pruneSuppressions(now)).toEqual({ deleted: 0 });
  });

  it('never an entry younger than suppressionMinMonths', async () => {
    setRetention({ suppressionMaxMonths: 36 });
    expect(await retention().pruneSuppressions(now)).toEqual({ deleted: 1 });
    expect(await present(hashes.middle)).toBe(false);
    expect(await present(hashes.young)).toBe(true);
    expect(await present(hashes.bloctel)).toBe(true);
  });

  it('I3: never an entry younger than 36 months, even with a shorter period set at run time (past validation)', async () => {
    setRetention({ suppressionMinMonths: 12, suppressionMaxMonths: 12 });
    try {
      expect(await retention().pruneSuppressions(now)).toEqual({ deleted: 0 });
      expect(await present(hashes.young)).toBe(true);
    } finally {
      setRetention({ suppressionMinMonths: 36 });
    }
  });
});
