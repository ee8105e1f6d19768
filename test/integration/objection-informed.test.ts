/**
 * C3 (Art. 21(4)): the time a person was first shown the right to object to a legitimate-interest purpose
 * is on the ledger. A form that displays such a notice records an `informed` event per channel (the notice
 * shown, `evidence.balancingTest`) that moves no state; the earliest one is the first-shown time. An
 * objection recorded by capture carries the balancing-test reference too.
 */
import { TABLE } from '../../server/src/constants';
import { createApiToken } from '../harness/api-token';
import { type Notices, setupForm, shownNotices, submitConsent } from '../harness/consent-setup';
import { expectStatesEqualReplay, replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let notices: Notices;
let fullKey: string;

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'postal']));
  fullKey = await createApiToken(app.strapi, 'full');
});
afterAll(() => replayThenStop(app));

const consent = () => app.strapi.plugin('consent');

interface EventRow {
  seq: number;
  action: string;
  state: string;
  method: string;
  legal_basis: string;
  notice_id: number | null;
  notice_version: number | null;
  notice_hash: string | null;
  notice_language: string | null;
  occurred_at: string | Date;
  evidence: unknown;
}

const eventsOf = async (subject: string, purpose: string): Promise<EventRow[]> =>
  app.strapi.db.connection(TABLE.event).select('*').where({ subject, purpose }).orderBy('seq');
const evidenceOf = (row: EventRow) => (typeof row.evidence === 'string' ? JSON.parse(row.evidence) : row.evidence);
const stateRows = (subject: string, purpose: string) =>
  app.strapi.db.connection(TABLE.state).select('*').where({ subject, purpose });

const replayMatches = (subject: string) => expectStatesEqualReplay(app.strapi, subject);

const eligibility = async (email: string) => {
  const res = await app
    .http()
    .get('/api/consent/eligibility')
    .query({ purpose: 'postal', channel: 'postal', email })
    .set('Authorization', `Bearer ${fullKey}`);
  if (res.status !== 200) throw new Error(`eligibility failed (${res.status}): ${JSON.stringify(res.body)}`);
  return res.body.data as { eligible: boolean; state: string; basis: string; reasons: string[] };
};

describe('C3: the first time the right to object was shown', () => {
  it('C3: a submission that displays a legitimate-interest purpose, unticked, records one `informed` event with the notice and the balancing test; eligibility is unchanged', async () => {
    const before = await eligibility('ina@example.com');
    const { receipt } = await submitConsent(app, { email: 'ina@example.com' }, { newsletter: true }, notices, {
      displayed: ['newsletter', 'postal'],
    });
    const subject = receipt.piiPrincipalId;
    const events = await eventsOf(subject, 'postal');
    expect(events).toHaveLength(1);
    const [informed] = events;
    expect(informed).toMatchObject({
      action: 'informed',
      state: 'none',
      method: 'form',
      legal_basis: 'legitimate-interest',
      notice_version: notices.postal.version,
      notice_hash: notices.postal.hash,
      notice_language: 'en',
    });
    expect(informed.notice_id).toEqual(expect.any(Number));
    expect(evidenceOf(informed)).toEqual({ balancingTest: 'LIA-2026-01' });
    // Proof only: no state row, and the answer for postal contact by legitimate interest is what it was.
    expect(await stateRows(subject, 'postal')).toEqual([]);
    expect(await eligibility('ina@example.com')).toEqual({
      ...before,
      eligible: true,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: [],
    });
  });

  it('C3: a second submission does not move the first-shown time (the earliest `informed` event)', async () => {
    const first = await submitConsent(app, { email: 'twice@example.com' }, {}, notices, { displayed: ['postal'] });
    const subject = first.receipt.piiPrincipalId;
    const [shown] = await eventsOf(subject, 'postal');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await submitConsent(app, { email: 'twice@example.com' }, {}, notices, { displayed: ['postal'] });
    const events = await eventsOf(subject, 'postal');
    expect(events.map((e) => e.action)).toEqual(['informed', 'informed']);
    expect(events[0].seq).toBe(shown.seq);
    expect(new Date(events[0].occurred_at).getTime()).toBe(new Date(shown.occurred_at).getTime());
    const earliest = Math.min(...events.map((e) => new Date(e.occurred_at).getTime()));
    expect(earliest).toBe(new Date(shown.occurred_at).getTime());
    expect(await eligibility('twice@example.com')).toMatchObject({ eligible: true, state: 'none' });
  });

  it('C3: ticking the box records `objected` with evidence.balancingTest (and no `informed` event)', async () => {
    const { receipt, states } = await submitConsent(app, { email: 'obj@example.com' }, { postal: true }, notices);
    expect(states.postal).toBe('objected');
    const events = await eventsOf(receipt.piiPrincipalId, 'postal');
    expect(events.map((e) => e.action)).toEqual(['objected']);
    expect(events[0].notice_hash).toBe(notices.postal.hash);
    expect(evidenceOf(events[0])).toEqual({ balancingTest: 'LIA-2026-01' });
    expect(await eligibility('obj@example.com')).toMatchObject({ eligible: false, state: 'objected' });
    // Once objected, showing the notice again records nothing more.
    await submitConsent(app, { email: 'obj@example.com' }, {}, notices, { displayed: ['postal'] });
    expect((await eventsOf(receipt.piiPrincipalId, 'postal')).map((e) => e.action)).toEqual(['objected']);
  });

  it('C3: the receipt shows the purpose as unchanged, and the ledger verifies with states equal to a replay', async () => {
    const res = await app
      .http()
      .post('/api/consent/submissions')
      .set({ Origin: 'https://shop.example' })
      .send({
        form: 'signup',
        locale: 'en',
        subject: { email: 'rcpt@example.com' },
        choices: {},
        notices: { postal: notices.postal },
      });
    expect(res.status).toBe(201);
    expect(res.body.data.states.postal).toBe('none');
    for (const email of ['ina@example.com', 'twice@example.com', 'obj@example.com', 'rcpt@example.com']) {
      const subject = await consent().service('subjects').find({ email });
      await replayMatches(subject.pseudonym);
    }
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true, firstBadEvent: null });
  });
});
