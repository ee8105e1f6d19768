/**
 * Imports cannot undo an objection (issue 15 part 6; C4, J2, N7). An imported grant dated after the
 * person left everything (an "objection" or "unsubscribe" suppression entry) is recorded, but never lifts
 * the entry, and the row says so (`warnings: ['suppression-not-lifted']`); only the person's own later act
 * recorded by the plugin (a form with the notice shown, the preference centre) does. An imported grant
 * never replaces an objection on record (`skipped`, `objection-stands`). A batch with a client reference
 * is idempotent: a retry writes nothing twice and answers the same.
 */
import { createApiToken } from '../harness/api-token';
import { rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let token: string;
let notices: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';
const SOURCE = { type: 'third-party', name: 'LeadCo' };
const PROOF = {
  formVersion: 'leadco-form-v3',
  recipients: ['Example Shop SAS'],
  uiEvidence: 'https://leadco.example/proof/form-v3.png',
};

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal']));
  token = await createApiToken(app.strapi, 'crm');
});
afterAll(() => replayThenStop(app));

const consent = () => app.strapi.plugin('consent');
const knex = () => app.strapi.db.connection;
const pause = (ms = 20) => new Promise((r) => setTimeout(r, ms));
/** Now, as an import states it: a grant dated after everything recorded so far (the clock skew allows a second ahead). */
const justNow = () => new Date(Date.now() + 1000).toISOString();
const send = (body: unknown) =>
  app
    .http()
    .post('/api/consent/events')
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
const grant = (email: string, extra: Record<string, unknown> = {}) => {
  const occurredAt = justNow();
  return {
    subject: { email },
    purpose: 'newsletter',
    channel: 'email',
    action: 'granted',
    occurredAt,
    method: 'import',
    proof: { ...PROOF, timestamp: occurredAt },
    ...extra,
  };
};
const leaveAll = (email: string) =>
  app.http().post('/api/consent/withdrawals').send({ subject: { email }, purposes: 'all' });
const submit = (email: string, choices: Record<string, boolean>) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set('Origin', ORIGIN)
    .send({ form: 'signup', subject: { email }, choices, notices });
const check = (email: string, purpose = 'newsletter') =>
  consent().service('eligibility').check(purpose, undefined, { email });
const counts = async () => ({
  ...(await rowCounts(app.strapi)),
  batches: Number((await knex()('consent_import_batches').count({ n: '*' }))[0].n),
});

describe('C4, J2, N7: an imported grant never lifts a suppression entry', () => {
  it('C4/J2/N7: a grant imported after "leave everything" (objection entry) is recorded, says suppression-not-lifted, and the person stays suppressed', async () => {
    expect((await leaveAll('ann@example.com')).status).toBe(202);
    await pause();
    const res = await send({ source: SOURCE, events: [grant('ann@example.com')] });
    expect(res.status).toBe(201);
    expect(res.body.data.events[0]).toMatchObject({
      status: 'recorded',
      state: 'granted',
      warnings: ['suppression-not-lifted'],
    });
    expect(await check('ann@example.com')).toMatchObject({
      eligible: false,
      state: 'granted',
      reasons: ['suppressed'],
    });
  });

  it('C4/J2/N7: method api lifts nothing either; a person without any entry gets no warning', async () => {
    await leaveAll('ben@example.com');
    await pause();
    const res = await send({
      source: SOURCE,
      events: [grant('ben@example.com', { method: 'api' }), grant('cy@example.com')],
    });
    expect(res.status).toBe(201);
    expect(res.body.data.events[0].warnings).toEqual(['suppression-not-lifted']);
    expect(res.body.data.events[1].warnings).toBeUndefined();
    expect(await check('ben@example.com')).toMatchObject({ eligible: false, reasons: ['suppressed'] });
    expect(await check('cy@example.com')).toMatchObject({ eligible: true, reasons: [] });
  });

  it("C4: the person's own later form opt-in (notice shown) lifts their entry, and a later import does not take it away", async () => {
    await leaveAll('dee@example.com');
    await pause();
    await send({ source: SOURCE, events: [grant('dee@example.com')] });
    expect((await check('dee@example.com')).eligible).toBe(false);
    await pause();
    expect((await submit('dee@example.com', { newsletter: true })).status).toBe(201);
    expect(await check('dee@example.com')).toMatchObject({ eligible: true, reasons: [] });
    await pause();
    await send({ source: SOURCE, events: [grant('dee@example.com')] });
    expect(await check('dee@example.com')).toMatchObject({ eligible: true, reasons: [] });
    // Only for the purpose they opted in to.
    expect((await check('dee@example.com', 'partners')).eligible).toBe(false);
  });

  it("C4: the person's own grant in the preference centre (notice shown) lifts their entry", async () => {
    await leaveAll('eve@example.com');
    await pause();
    const imported = await send({ source: SOURCE, events: [grant('eve@example.com')] });
    const pseudonym = imported.body.data.events[0].subject;
    expect((await check('eve@example.com')).eligible).toBe(false);
    await pause();
    const url = new URL(consent().service('links').forSubject(pseudonym, 'newsletter', 'email').preferencesUrl)
      .pathname;
    const res = await app
      .http()
      .put(url)
      .send({ choices: { newsletter: true }, notices: { newsletter: notices.newsletter } });
    expect(res.status).toBe(200);
    expect(await check('eve@example.com')).toMatchObject({ eligible: true, reasons: [] });
  });

  it('C4/N7: an imported grant never replaces an objection on record: skipped, objection-stands, nothing written', async () => {
    const objected = await send({
      source: SOURCE,
      events: [
        {
          subject: { email: 'fay@example.com' },
          purpose: 'newsletter',
          channel: 'email',
          action: 'objected',
          occurredAt: new Date().toISOString(),
          method: 'import',
        },
      ],
    });
    expect(objected.body.data.events[0]).toMatchObject({ status: 'recorded', state: 'objected' });
    await pause();
    const before = await counts();
    const res = await send({ source: SOURCE, events: [grant('fay@example.com')] });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ recorded: 0, skipped: 1 });
    expect(res.body.data.events[0]).toMatchObject({ status: 'skipped', state: 'objected', reason: 'objection-stands' });
    expect((await counts()).events).toBe(before.events);
    expect(await check('fay@example.com')).toMatchObject({ eligible: false, state: 'objected', reasons: ['objected'] });
  });
});

describe('J2, N7: a batch with a client reference is idempotent; nothing is written on any 4xx', () => {
  it('J2/N7: a retry with the same reference answers the same and writes nothing twice', async () => {
    const body = {
      source: SOURCE,
      reference: 'leadco-2026-12-06.csv',
      events: [grant('gil@example.com'), grant('hana@example.com')],
    };
    const first = await send(body);
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ recorded: 2, skipped: 0 });
    const after = await counts();
    const again = await send(body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await counts()).toEqual(after);
    // The same batch with its keys in another order is the same batch.
    const reordered = {
      events: body.events.map((e) => Object.fromEntries(Object.entries(e).reverse())),
      reference: body.reference,
      source: SOURCE,
    };
    expect((await send(reordered)).body).toEqual(first.body);
    expect(await counts()).toEqual(after);
  });

  it('J2/N7: the same reference for another batch → 409 naming it, nothing written; another source may use it', async () => {
    await send({ source: SOURCE, reference: 'batch-7', events: [grant('ida@example.com')] });
    const before = await counts();
    const res = await send({ source: SOURCE, reference: 'batch-7', events: [grant('jon@example.com')] });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ name: 'ImportReferenceReused', details: { path: ['reference'] } });
    expect(await counts()).toEqual(before);
    const other = await send({
      source: { type: 'first-party', name: 'Call centre' },
      reference: 'batch-7',
      events: [grant('jon@example.com')],
    });
    expect(other.status).toBe(201);
  });

  it.each([
    ['an unknown field', { referense: 'x' }, ['referense']],
    ['a reference that is not a string', { reference: 42 }, ['reference']],
    ['a blank reference', { reference: '  ' }, ['reference']],
    ['a reference longer than 128 characters', { reference: 'r'.repeat(129) }, ['reference']],
  ])('J2: %s → 400 naming it, nothing written', async (_label, extra, path) => {
    const before = await counts();
    const res = await send({ source: SOURCE, events: [grant('kim@example.com')], ...extra });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain(path[0]);
    expect(await counts()).toEqual(before);
  });

  it('J2/N7: a batch refused for one bad row writes nothing, and its reference stays free for the corrected batch', async () => {
    const before = await counts();
    const bad = await send({
      source: SOURCE,
      reference: 'batch-9',
      events: [grant('lou@example.com'), grant('max@example.com', { purpose: 'nope' })],
    });
    expect(bad.status).toBe(400);
    expect(await counts()).toEqual(before);
    const good = await send({
      source: SOURCE,
      reference: 'batch-9',
      events: [grant('lou@example.com'), grant('max@example.com')],
    });
    expect(good.status).toBe(201);
    expect(good.body.data.recorded).toBe(2);
  });
});

describe('J2, N7: batch references are kept retention.importBatchDays (30 by default), then purged', () => {
  const DAY = 86_400_000;
  const purge = (now: Date) => consent().service('imports').purgeBatches(now);
  const batches = (reference: string) => knex()('consent_import_batches').where({ reference });

  it('J2/N7: the nightly purge keeps a reference younger than 30 days and deletes it after; the events stay on the ledger', async () => {
    const body = { source: SOURCE, reference: 'leadco-retention.csv', events: [grant('ned@example.com')] };
    const first = await send(body);
    expect(first.status).toBe(201);
    const subject = first.body.data.events[0].subject;
    const created = new Date((await batches('leadco-retention.csv'))[0].created_at).getTime();

    // Every batch of this file is younger than 29 days: nothing goes.
    const total = Number((await knex()('consent_import_batches').count({ n: '*' }))[0].n);
    expect(await purge(new Date(created + 29 * DAY))).toEqual({ deleted: 0 });
    expect(await batches('leadco-retention.csv')).toHaveLength(1);
    // A retry within the period is still a replay.
    expect((await send(body)).headers['idempotent-replayed']).toBe('true');

    expect(await purge(new Date(created + 31 * DAY))).toEqual({ deleted: total });
    expect(await batches('leadco-retention.csv')).toHaveLength(0);
    expect(await knex()('consent_events').where({ subject, action: 'granted' })).toHaveLength(1);
    // Run again, nothing left to delete: idempotent on every instance at once.
    expect(await purge(new Date(created + 31 * DAY))).toEqual({ deleted: 0 });

    // After the period the reference is free: the same call is a new batch, answered afresh.
    const later = await send({ ...body, events: [grant('ned@example.com')] });
    expect(later.status).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(await batches('leadco-retention.csv')).toHaveLength(1);
  });
});
