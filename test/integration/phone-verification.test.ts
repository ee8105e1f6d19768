/**
 * Germany: consumer phone and SMS consent stays pending until the number is verified (issue 15 part 5,
 * third bullet; B1, B5, N16, C8). For a person in jurisdiction `de` (the form's, else the submission's),
 * a ticked phone/SMS purpose is recorded `requested`/`pending`, and email always goes through double
 * opt-in. The site reports a verification with `POST /api/consent/phone-verifications` (API token): a
 * `confirmed` event (method `api`, evidence `{ verification }`) on every pending phone/SMS consent of the
 * person, through the ledger. Eligibility answers `pending-confirmation` until then. The verification
 * never confirms email (B5), and a professional or a French consumer is granted by the tick. The same
 * rule (domain/phone-verification.ts) holds grants made in the preference centre and by import, unless an
 * import row carries its own `phoneVerification`.
 */
import { createApiToken } from '../harness/api-token';
import { expectStatesEqualReplay } from '../harness/ledger-replay';
import { rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let key: string;
let notices: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(
    await setupForm(app.strapi, ['newsletter', 'sms'], { key: 'de-consumers', jurisdiction: 'de' })
  );
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
    (await knex()('consent_states').where({ subject, purpose })).map((r: { channel: string; state: string }) => [
      r.channel,
      r.state,
    ])
  );

describe('C8, N16: a German consumer’s phone and SMS consent waits for the number to be verified', () => {
  const PHONE = '+4915112345601';
  let subject: string;

  it('C8/N16/B1: a de form: ticked sms → pending on sms and phone, email → pending (double opt-in by default in de)', async () => {
    const res = await submit(
      'de-consumers',
      { email: 'jan@example.de', phone: PHONE },
      { sms: true, newsletter: true }
    );
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
    const res = await verify({
      subject: { phone: PHONE },
      method: 'sms-code',
      reference: 'otp-4711',
      occurredAt: '2026-12-01T10:00:00Z',
    });
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
      expect(evidence).toEqual({
        verification: { method: 'sms-code', reference: 'otp-4711', verifiedAt: '2026-12-01T10:00:00.000Z' },
      });
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
    const fr = await submit(
      'fr-consumers',
      { email: 'luc@example.fr', phone: '+33612345603' },
      { sms: true, newsletter: true }
    );
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
    [
      'an unknown field',
      { subject: { phone: '+4915112345601' }, method: 'sms-code', reference: 'r', extra: 1 },
      'key',
      [400],
      'extra',
    ],
    [
      'an unknown method',
      { subject: { phone: '+4915112345601' }, method: 'pigeon', reference: 'r' },
      'key',
      [400],
      'method',
    ],
    ['no reference', { subject: { phone: '+4915112345601' }, method: 'call' }, 'key', [400], 'reference'],
    [
      'an email instead of a phone',
      { subject: { email: 'a@b.de' }, method: 'call', reference: 'r' },
      'key',
      [400],
      'subject',
    ],
    ['a bad number', { subject: { phone: 'abc' }, method: 'call', reference: 'r' }, 'key', [400], 'subject.phone'],
    [
      'a date without a time zone',
      { subject: { phone: '+4915112345601' }, method: 'call', reference: 'r', occurredAt: '2026-12-01T10:00' },
      'key',
      [400],
      'occurredAt',
    ],
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
    const res = await submit(
      'de-consumers',
      { email: 'mia@example.de', phone: '+4915112345604' },
      { sms: true, newsletter: true }
    );
    expect(res.status).toBe(201);
    const subject = res.body.data.receipt.piiPrincipalId;
    await consent()
      .service('confirmations')
      .expirePending(new Date(Date.now() + 400 * 86_400_000));
    expect(await statesOf(subject, 'newsletter')).toEqual({ email: 'expired' });
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'pending', phone: 'pending' });
    const verified = await verify({ subject: { phone: '+4915112345604' }, method: 'call', reference: 'call-9' });
    expect(verified.body.data.confirmed).toHaveLength(2);
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'granted', phone: 'granted' });
  });
});

describe('B5, N16: the preference centre and imports hold a German consumer’s phone/SMS grant like a form', () => {
  const preferencesOf = (subject: string) =>
    new URL(consent().service('links').forSubject(subject, 'newsletter', 'email').preferencesUrl).pathname;
  const importSms = async (phone: string, extra: Record<string, unknown> = {}, subject: Record<string, string> = {}) =>
    app
      .http()
      .post('/api/consent/events')
      .set('Authorization', `Bearer ${key}`)
      .send({
        source: { type: 'first-party', name: 'Callcenter Berlin' },
        events: [
          {
            subject: { phone, ...subject },
            purpose: 'sms',
            channel: 'sms',
            action: 'granted',
            occurredAt: new Date(Date.now() - 60_000).toISOString(),
            method: 'import',
            proof: {
              formVersion: 'call-script-v2',
              timestamp: new Date(Date.now() - 60_000).toISOString(),
              recipients: ['Example Shop SAS'],
              uiEvidence: 'recording-0042',
            },
            ...extra,
          },
        ],
      });

  it('B5/N16: a de consumer granting SMS in the preference centre gets pending on sms and phone, until the number is verified', async () => {
    const phone = '+4915112345611';
    // Signed up on the German form with the newsletter only: the SMS box was shown and left unticked.
    const signup = await submit('de-consumers', { email: 'ute@example.de', phone }, { newsletter: false, sms: false });
    expect(signup.status).toBe(201);
    const subject = signup.body.data.receipt.piiPrincipalId;
    const url = preferencesOf(subject);
    const res = await app
      .http()
      .put(url)
      .send({ choices: { sms: true }, notices: { sms: notices.sms } });
    expect(res.status).toBe(200);
    expect(res.body.data.states.sms).toBe('pending');
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'pending', phone: 'pending' });
    const requested = await knex()('consent_events').where({ subject, purpose: 'sms', action: 'requested' });
    expect(requested).toHaveLength(2);
    expect(requested.every((e: { method: string }) => e.method === 'preference-center')).toBe(true);
    expect((await consent().service('eligibility').check('sms', 'sms', { phone })).reasons).toContain(
      'pending-confirmation'
    );
    // The view shows what waits.
    const view = await app.http().get(url);
    expect(view.body.data.purposes.find((p: { key: string }) => p.key === 'sms').states).toEqual({
      sms: 'pending',
      phone: 'pending',
    });
    // Sending the same choice again adds nothing.
    const events = (await knex()('consent_events').where({ subject })).length;
    expect(
      (
        await app
          .http()
          .put(url)
          .send({ choices: { sms: true }, notices: { sms: notices.sms } })
      ).status
    ).toBe(200);
    expect((await knex()('consent_events').where({ subject })).length).toBe(events);

    const verified = await verify({ subject: { phone }, method: 'sms-code', reference: 'otp-pc-1' });
    expect(verified.body.data.confirmed).toHaveLength(2);
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'granted', phone: 'granted' });
    expect((await consent().service('eligibility').check('sms', 'sms', { phone })).reasons).not.toContain(
      'pending-confirmation'
    );
    // A verified grant given again stays granted (asking again never un-confirms).
    expect(
      (
        await app
          .http()
          .put(url)
          .send({ choices: { sms: true }, notices: { sms: notices.sms } })
      ).body.data.states.sms
    ).toBe('granted');
    await expectStatesEqualReplay(app.strapi, subject);
  });

  it('B5/N16/C2: a French consumer granting SMS in the preference centre is granted at once', async () => {
    const signup = await submit('fr-consumers', { email: 'zoe@example.fr', phone: '+33612345612' }, { sms: false });
    const subject = signup.body.data.receipt.piiPrincipalId;
    const res = await app
      .http()
      .put(preferencesOf(subject))
      .send({ choices: { sms: true }, notices: { sms: notices.sms } });
    expect(res.status).toBe(200);
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'granted', phone: 'granted' });
  });

  it('B5/N16/J2: an imported SMS grant of a de consumer without phoneVerification is pending and the row says so', async () => {
    const phone = '+4915112345613';
    const res = await importSms(phone, {}, { jurisdiction: 'de' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ recorded: 1, unproven: 0, skipped: 0 });
    expect(res.body.data.events[0]).toMatchObject({
      status: 'recorded',
      state: 'pending',
      warnings: ['phone-verification-pending'],
    });
    const subject = res.body.data.events[0].subject;
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'pending' });
    const [event] = await knex()('consent_events').where({ subject, purpose: 'sms' });
    expect(event).toMatchObject({ action: 'requested', method: 'import' });
    expect((await consent().service('eligibility').check('sms', 'sms', { phone })).reasons).toContain(
      'pending-confirmation'
    );
    // The site's later verification confirms it, like a form's.
    expect((await verify({ subject: { phone }, method: 'call', reference: 'call-77' })).body.data.confirmed).toEqual([
      { purpose: 'sms', channel: 'sms' },
    ]);
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'granted' });
    await expectStatesEqualReplay(app.strapi, subject);
  });

  it('B5/N16/J2: with phoneVerification the imported grant is granted and the verification kept as evidence', async () => {
    const phone = '+4915112345614';
    const verifiedAt = new Date(Date.now() - 120_000).toISOString();
    const res = await importSms(
      phone,
      { phoneVerification: { method: 'sms-code', reference: 'otp-cc-9', verifiedAt } },
      { jurisdiction: 'de' }
    );
    expect(res.status).toBe(201);
    expect(res.body.data.events[0]).toMatchObject({ status: 'recorded', state: 'granted' });
    expect(res.body.data.events[0].warnings).toBeUndefined();
    const subject = res.body.data.events[0].subject;
    const [event] = await knex()('consent_events').where({ subject, purpose: 'sms' });
    expect(event.action).toBe('granted');
    const evidence = typeof event.evidence === 'string' ? JSON.parse(event.evidence) : event.evidence;
    expect(evidence.verification).toEqual({ method: 'sms-code', reference: 'otp-cc-9', verifiedAt });
    expect((await consent().service('eligibility').check('sms', 'sms', { phone })).eligible).toBe(true);
  });

  it('B5/N16/C2: an imported SMS grant of a professional in de, or of a person outside de, needs no verification', async () => {
    const pro = await importSms('+4915112345615', {}, { jurisdiction: 'de', audience: 'professional' });
    expect(pro.body.data.events[0]).toMatchObject({ status: 'recorded', state: 'granted' });
    const fr = await importSms('+33612345616', {}, { jurisdiction: 'fr' });
    expect(fr.body.data.events[0]).toMatchObject({ status: 'recorded', state: 'granted' });
  });

  it.each([
    ['on an email grant', { purpose: 'newsletter', channel: 'email' }, 'events.0.phoneVerification'],
    ['on a withdrawal', { action: 'withdrawn' }, 'events.0.phoneVerification'],
    [
      'with an unknown method',
      { phoneVerification: { method: 'pigeon', reference: 'r', verifiedAt: '2026-01-01T10:00:00Z' } },
      'method',
    ],
    ['without a reference', { phoneVerification: { method: 'call', verifiedAt: '2026-01-01T10:00:00Z' } }, 'reference'],
    [
      'in the future',
      { phoneVerification: { method: 'call', reference: 'r', verifiedAt: '2999-01-01T10:00:00Z' } },
      'verifiedAt',
    ],
    [
      'with an unknown field',
      { phoneVerification: { method: 'call', reference: 'r', verifiedAt: '2026-01-01T10:00:00Z', code: '1234' } },
      'code',
    ],
  ])('B5/N16: phoneVerification %s → 400 naming it, nothing written', async (_what, extra, field) => {
    const before = await rowCounts(app.strapi);
    const body = {
      phoneVerification: { method: 'call', reference: 'r', verifiedAt: '2026-01-01T10:00:00Z' },
      ...extra,
    };
    const res = await importSms('+4915112345617', body, { jurisdiction: 'de', email: 'x@example.de' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain(field);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });
});
