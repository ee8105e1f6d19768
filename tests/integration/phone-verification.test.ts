/**
 * Germany: consumer phone and SMS consent stays pending until the number is verified (issue 15 part 5,
 * third bullet; B1, B5, N16, C8). For a person in jurisdiction `de` (the form's, else the submission's),
 * a ticked phone/SMS purpose is recorded `requested`/`pending`, and email always goes through double
 * opt-in. The site reports a verification with `POST /api/consent/phone-verifications` (API token): a
 * `confirmed` event (method `api`, evidence `{ verification }`) on every pending phone/SMS consent of the
 * person, through the ledger. Eligibility answers `pending-confirmation` until then. The verification
 * never confirms email (B5), and a professional or a French consumer is granted by the tick.
 */
import { createApiToken } from '../harness/api-token';
import { rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let key: string;
let notices: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'sms'], { key: 'de-consumers', jurisdiction: 'de' }));
  await setupForm(app.strapi, ['newsletter', 'sms'], { key: 'de-pros', jurisdiction: 'de', audience: 'professional' });
  await setupForm(app.strapi, ['newsletter', 'sms'], { key: 'fr-consumers', jurisdiction: 'fr' });
  key = await createApiToken(app.strapi, 'phone-verifications');
});
afterAll(() => app?.stop());

const consent = () => app.strapi.plugin('consent');
const knex = () => app.strapi.db.connection;
const submit = (form: string, subject: Record<string, string>, choices: Record<string, unknown>) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set('Origin', ORIGIN)
    .send({ form, subject, choices, notices: Object.fromEntries(Object.keys(choices).map((k) => [k, notices[k]])) });
const verify = (body: unknown, token: string | null = key) => {
  const req = app.http().post('/api/consent/phone-verifications');
  return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body as object);
};
const statesOf = async (subject: string, purpose: string) =>
  Object.fromEntries(
    (await knex()('consent_states').where({ subject, purpose })).map((r: { channel: string; state: string }) => [r.channel, r.state])
  );

describe('C8, N16: a German consumer’s phone and SMS consent waits for the number to be verified', () => {
  const PHONE = '+4915112345601';
  let subject: string;

  it('C8/N16/B1: a de form: ticked sms → pending on sms and phone, email → pending (double opt-in by default in de)', async () => {
    const res = await submit('de-consumers', { email: 'jan@example.de', phone: PHONE }, { sms: true, newsletter: true });
    expect(res.status).toBe(201);
    subject = res.body.data.receipt.piiPrincipalId;
    expect(res.body.data.states).toEqual({ newsletter: 'pending', sms: 'pending' });
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'pending', phone: 'pending' });
    expect(await statesOf(subject, 'newsletter')).toEqual({ email: 'pending' });
    // One confirmation request, for the email only: the mail cannot confirm a phone number (B5).
    const requests = await knex()('consent_confirmations').where({ subject });
    expect(requests).toHaveLength(1);
    const purposes = typeof requests[0].purposes === 'string' ? JSON.parse(requests[0].purposes) : requests[0].purposes;
    expect(purposes.map((p: { purpose: string }) => p.purpose)).toEqual(['newsletter']);
  });

  it('C8/N16: eligibility answers pending-confirmation until the number is verified', async () => {
    const answer = await consent().service('eligibility').check('sms', 'sms', { phone: PHONE });
    expect(answer.eligible).toBe(false);
    expect(answer.reasons).toContain('pending-confirmation');
  });

  it('C8/N16: POST /phone-verifications confirms every pending phone/SMS consent (method api, evidence verification), never email', async () => {
    const res = await verify({ subject: { phone: PHONE }, method: 'sms-code', reference: 'otp-4711', occurredAt: '2026-12-01T10:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body.data.confirmed).toEqual(
      expect.arrayContaining([
        { purpose: 'sms', channel: 'sms' },
        { purpose: 'sms', channel: 'phone' },
      ])
    );
    expect(res.body.data.confirmed).toHaveLength(2);
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'granted', phone: 'granted' });
    expect(await statesOf(subject, 'newsletter')).toEqual({ email: 'pending' });
    const events = await knex()('consent_events').where({ subject, purpose: 'sms', action: 'confirmed' });
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.method).toBe('api');
      const evidence = typeof e.evidence === 'string' ? JSON.parse(e.evidence) : e.evidence;
      expect(evidence).toEqual({ verification: { method: 'sms-code', reference: 'otp-4711', verifiedAt: '2026-12-01T10:00:00.000Z' } });
      expect(e.notice_hash ?? e.noticeHash).toBe(notices.sms.hash);
    }
    const answer = await consent().service('eligibility').check('sms', 'sms', { phone: PHONE });
    expect(answer.reasons).not.toContain('pending-confirmation');
    expect((await consent().service('ledger').verify()).ok).toBe(true);
  });

  it('C8: a second verification confirms nothing more and writes nothing; an unknown number gets the same answer', async () => {
    const before = await rowCounts(app.strapi);
    const again = await verify({ subject: { phone: PHONE }, method: 'call', reference: 'call-1' });
    expect(again.status).toBe(200);
    expect(again.body.data.confirmed).toEqual([]);
    const unknown = await verify({ subject: { phone: '+4915112345699' }, method: 'other', reference: 'x' });
    expect(unknown.status).toBe(200);
    expect(unknown.body.data.confirmed).toEqual([]);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });

  it('C8/C2: a recorded professional in de is granted by the tick; a French consumer too', async () => {
    const pro = await submit('de-pros', { email: 'kai@firma.de', phone: '+4915112345602' }, { sms: true });
    expect(pro.status).toBe(201);
    expect(await statesOf(pro.body.data.receipt.piiPrincipalId, 'sms')).toEqual({ sms: 'granted', phone: 'granted' });
    const fr = await submit('fr-consumers', { email: 'luc@example.fr', phone: '+33612345603' }, { sms: true, newsletter: true });
    expect(fr.status).toBe(201);
    expect(fr.body.data.states).toEqual({ newsletter: 'granted', sms: 'granted' });
  });

  it('B1: a person recorded in de keeps double opt-in and phone verification on a form that names no jurisdiction', async () => {
    await setupForm(app.strapi, ['newsletter', 'sms'], { key: 'plain' });
    const res = await submit('plain', { email: 'jan@example.de', phone: PHONE }, { newsletter: true });
    expect(res.status).toBe(201);
    expect(res.body.data.states.newsletter).toBe('pending');
  });
});

describe('phone verifications: bad input and auth', () => {
  it.each([
    ['no token', { subject: { phone: '+4915112345601' }, method: 'sms-code', reference: 'r' }, null, [401, 403], null],
    ['an unknown field', { subject: { phone: '+4915112345601' }, method: 'sms-code', reference: 'r', extra: 1 }, 'key', [400], 'extra'],
    ['an unknown method', { subject: { phone: '+4915112345601' }, method: 'pigeon', reference: 'r' }, 'key', [400], 'method'],
    ['no reference', { subject: { phone: '+4915112345601' }, method: 'call' }, 'key', [400], 'reference'],
    ['an email instead of a phone', { subject: { email: 'a@b.de' }, method: 'call', reference: 'r' }, 'key', [400], 'subject'],
    ['a bad number', { subject: { phone: 'abc' }, method: 'call', reference: 'r' }, 'key', [400], 'subject.phone'],
    ['a date without a time zone', { subject: { phone: '+4915112345601' }, method: 'call', reference: 'r', occurredAt: '2026-12-01T10:00' }, 'key', [400], 'occurredAt'],
  ])('%s → refused, nothing written', async (_what, body, token, statuses, field) => {
    const before = await rowCounts(app.strapi);
    const res = await verify(body, token ? key : null);
    expect(statuses).toContain(res.status);
    if (field) expect(JSON.stringify(res.body.error)).toContain(field);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });
});

describe('B5, N16: an unanswered email confirmation expires the email request only', () => {
  it('B5/N16: after pendingTtlDays the email state expires; the phone/SMS consent still waits for verification', async () => {
    const res = await submit('de-consumers', { email: 'mia@example.de', phone: '+4915112345604' }, { sms: true, newsletter: true });
    expect(res.status).toBe(201);
    const subject = res.body.data.receipt.piiPrincipalId;
    await consent().service('confirmations').expirePending(new Date(Date.now() + 400 * 86_400_000));
    expect(await statesOf(subject, 'newsletter')).toEqual({ email: 'expired' });
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'pending', phone: 'pending' });
    const verified = await verify({ subject: { phone: '+4915112345604' }, method: 'call', reference: 'call-9' });
    expect(verified.body.data.confirmed).toHaveLength(2);
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'granted', phone: 'granted' });
  });
});
