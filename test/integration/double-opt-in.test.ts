/**
 * Email double opt-in (B1–B6; spec 4.1 confirm routes) over the whole path a person takes: the form
 * submission, Strapi's email plugin with the nodemailer provider, a real SMTP listener, the link in the
 * mail, the page it opens, and the button on that page.
 */
import { createHash } from 'node:crypto';
import { confirmationLink, startSmtp, type SmtpListener } from '../harness/smtp';
import { publishNotice, rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let smtp: SmtpListener;
let notices: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({ env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) } });
  await app.strapi
    .plugin('consent')
    .service('purposes')
    .create({
      key: 'alerts',
      name: 'Alerts',
      legalBasis: 'consent',
      channels: ['email', 'sms'],
      doubleOptIn: true,
    });
  await publishNotice(app.strapi, 'alerts');
  notices = shownNotices(await setupForm(app.strapi, ['doi', 'newsletter', 'alerts'] as never));
  await publishNotice(app.strapi, 'doi', 'de', 'Wöchentliche Übersicht');
});
afterAll(async () => {
  await replayThenStop(app);
  await smtp?.stop();
});

const consent = () => app.strapi.plugin('consent');
const submit = (email: string, choices: Record<string, boolean>, extra: Record<string, unknown> = {}) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set('Origin', ORIGIN)
    .send({ form: 'signup', subject: { email }, choices, notices, ...extra });
const eligibility = (email: string, purpose = 'doi', channel = 'email') =>
  consent().service('eligibility').check(purpose, channel, { email });
const mailTo = (email: string) => smtp.waitFor((m) => m.to.includes(email));
const stateOf = async (email: string, purpose = 'doi', channel = 'email') =>
  (await eligibility(email, purpose, channel)).state;

describe('B1, B2: pending until confirmed, and a mail that only asks for confirmation', () => {
  it('a ticked double opt-in purpose is pending, not eligible, and a confirmation mail goes out', async () => {
    const res = await submit('ada@example.com', { doi: true, newsletter: true });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ doi: 'pending', newsletter: 'granted' });
    expect(res.body.data.confirmation).toEqual({ mailSent: true });
    expect(await eligibility('ada@example.com')).toMatchObject({
      eligible: false,
      state: 'pending',
      reasons: ['pending-confirmation'],
    });

    const mail = await mailTo('ada@example.com');
    expect(mail.subject).toBe('Please confirm your request');
    expect(mail.from).toContain('newsletter@example.com');
    // B2: the request and the sender's identity; the only link is the confirmation link.
    // The purpose as the form labelled it: the title of the notice shown, not the purpose's name.
    expect(mail.text).toContain('- About doi');
    expect(mail.text).toContain('Example Shop SAS');
    expect(mail.text).toContain('privacy@example.com');
    expect(mail.text.match(/https?:\/\/\S+/g)).toEqual([confirmationLink(mail).url]);
    expect(mail.text).not.toMatch(/newsletter|offer|discount|%/i);
  });

  it("the mail is in the person's language (de)", async () => {
    const res = await submit('bea@example.com', { doi: true }, { locale: 'de', notices: { doi: await deNotice() } });
    expect(res.status).toBe(201);
    const mail = await mailTo('bea@example.com');
    expect(mail.subject).toBe('Bitte bestätigen Sie Ihre Anfrage');
    expect(mail.text).toContain('Bestätigen');
  });
});

const deNotice = async () => {
  const definition = await consent().service('forms').definition('signup', 'de');
  const doi = definition.purposes.find((p: { key: string }) => p.key === 'doi');
  return { version: doi.notice.version, hash: doi.notice.hash };
};

describe('spec 4.1 confirm routes: GET changes nothing, POST confirms once', () => {
  let link: ReturnType<typeof confirmationLink>;
  beforeAll(async () => {
    link = confirmationLink(await mailTo('ada@example.com'));
  });

  it('GET (a mail scanner, or the person) shows a page with a button and changes nothing', async () => {
    const before = await rowCounts(app.strapi);
    const page = await app.http().get(link.path).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<form method="post" action="${link.path}">`);
    expect(page.text).toContain('<li>About doi</li>');
    const json = await app.http().get(link.path);
    expect(json.body.data).toMatchObject({ confirmed: false });
    expect(await rowCounts(app.strapi)).toEqual(before);
    expect(await stateOf('ada@example.com')).toBe('pending');
  });

  it('POST confirms: granted, eligible, and the ledger keeps request, mail and confirmation times, the token hash and the notice (B3)', async () => {
    const res = await app.http().post(link.path).type('form').set('Accept', 'text/html').send('');
    expect(res.status).toBe(200);
    expect(res.text).toContain('your request is confirmed');
    expect(await eligibility('ada@example.com')).toMatchObject({ eligible: true, state: 'granted', reasons: [] });

    const event = await app.strapi.db
      .query('plugin::consent.consent-event')
      .findOne({ where: { purpose: 'doi', action: 'confirmed' } });
    expect(event).toMatchObject({
      state: 'granted',
      method: 'double-opt-in',
      channel: 'email',
      noticeVersion: notices.doi.version,
      noticeHash: notices.doi.hash,
    });
    const doi = event.evidence.doubleOptIn;
    expect(doi.tokenHash).toBe(createHash('sha256').update(link.token).digest('hex'));
    expect(new Date(doi.requestedAt).getTime()).toBeLessThanOrEqual(new Date(doi.mailSentAt).getTime());
    expect(new Date(doi.mailSentAt).getTime()).toBeLessThanOrEqual(new Date(doi.confirmedAt).getTime());
    // The token itself is stored nowhere.
    const rows = await app.strapi.db.connection('consent_confirmations').select('*');
    expect(JSON.stringify(rows)).not.toContain(link.token);
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  });

  it('a second confirmation answers 200 "already confirmed" and writes nothing', async () => {
    const before = await rowCounts(app.strapi);
    const res = await app.http().post(link.path);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ status: 'already-confirmed', states: { doi: 'granted' } });
    expect(await rowCounts(app.strapi)).toEqual(before);
  });

  it('re-submitting the form never un-confirms a confirmed person, and sends no new mail', async () => {
    const mailsBefore = smtp.mails.length;
    const ticked = await submit('ada@example.com', { doi: true });
    expect(ticked.body.data.states.doi).toBe('granted');
    expect(ticked.body.data.confirmation).toBeUndefined();
    const unticked = await submit('ada@example.com', {});
    expect(unticked.body.data.states.doi).toBe('granted');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.length).toBe(mailsBefore);
    expect(await eligibility('ada@example.com')).toMatchObject({ eligible: true });
  });
});

describe('tampered, forged and expired links', () => {
  it('a tampered or forged token → 400 and nothing changes', async () => {
    await submit('cat@example.com', { doi: true });
    const { token } = confirmationLink(await mailTo('cat@example.com'));
    const [body, signature] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const otherBody = Buffer.from(JSON.stringify({ ...payload, purposes: ['doi', 'newsletter'] })).toString(
      'base64url'
    );
    const before = await rowCounts(app.strapi);
    for (const bad of [`${otherBody}.${signature}`, `${body}.${'A'.repeat(43)}`, 'abc.def', `${body}x.${signature}`]) {
      const res = await app.http().post(`/api/consent/confirm/${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
    }
    const page = await app
      .http()
      .post(`/api/consent/confirm/${otherBody}.${signature}`)
      .type('form')
      .set('Accept', 'text/html')
      .send('');
    expect(page.status).toBe(400);
    expect(page.text).toContain('not valid');
    expect(await rowCounts(app.strapi)).toEqual(before);
    expect(await stateOf('cat@example.com')).toBe('pending');
  });

  it('an expired link → 410 with a way to ask for a new one; the new mail confirms; resending again at once → 429 (B6)', async () => {
    await submit('dan@example.com', { doi: true });
    await mailTo('dan@example.com');
    const subject = await app.strapi.db.connection('consent_subjects').where({ email: 'dan@example.com' }).first();
    // A request made three days ago: its 48-hour link has expired.
    const old = await consent()
      .service('confirmations')
      .create({
        subject: subject.pseudonym,
        receiptId: 'r-old',
        formKey: 'signup',
        language: 'en',
        purposes: [
          {
            purpose: 'doi',
            noticeId: null,
            noticeVersion: notices.doi.version,
            noticeHash: notices.doi.hash,
            noticeLanguage: 'en',
          },
        ],
        now: new Date(Date.now() - 3 * 86_400_000),
      });
    const path = `/api/consent/confirm/${old.token}`;
    const res = await app.http().post(path);
    expect(res.status).toBe(410);
    expect(res.body.error).toMatchObject({ name: 'GoneError', details: { resend: true } });
    const page = await app.http().get(path).set('Accept', 'text/html');
    expect(page.status).toBe(410);
    expect(page.text).toContain(`action="${path}/resend"`);
    expect(await stateOf('dan@example.com')).toBe('pending');

    const mailsBefore = smtp.mails.filter((m) => m.to.includes('dan@example.com')).length;
    // The sign-up mail a moment ago counts against the per-address throttle too.
    expect((await app.http().post(`${path}/resend`)).status).toBe(429);
    await app.strapi.db.connection('consent_rate_limits').del(); // as if resendAfterSeconds had passed
    const resent = await app.http().post(`${path}/resend`);
    expect(resent.status).toBe(202);
    const again = await app.http().post(`${path}/resend`);
    expect(again.status).toBe(429);
    expect(again.body.error.name).toBe('RateLimitError');
    const danMails = () => smtp.mails.filter((m) => m.to.includes('dan@example.com'));
    const fresh = await smtp.waitFor((m) => danMails().indexOf(m) >= mailsBefore);
    const confirmed = await app.http().post(confirmationLink(fresh).path);
    expect(confirmed.body.data.status).toBe('confirmed');
    expect(await stateOf('dan@example.com')).toBe('granted');
  });
});

describe('B5: an email confirmation confirms the email channel only', () => {
  it('a purpose on email and sms: only email waits for the mail; the confirmation adds an event on email only', async () => {
    // With the number the sms consent is about (no consent for a channel without its identifier, A4/N16).
    const res = await submit(
      'eve@example.com',
      { alerts: true },
      { subject: { email: 'eve@example.com', phone: '+33611223344' } }
    );
    expect(await stateOf('eve@example.com', 'alerts', 'email')).toBe('pending');
    // The sms consent is the tick itself (method form), never "verified" by the email confirmation.
    expect(await stateOf('eve@example.com', 'alerts', 'sms')).toBe('granted');
    const link = confirmationLink(await mailTo('eve@example.com'));
    await app.http().post(link.path);
    expect(await stateOf('eve@example.com', 'alerts', 'email')).toBe('granted');
    const events = await app.strapi.db
      .connection('consent_events')
      .where({ purpose: 'alerts', subject: res.body.data.receipt.piiPrincipalId })
      .orderBy('seq');
    expect(
      events.map((e: { channel: string; action: string; method: string }) => `${e.channel}:${e.action}:${e.method}`)
    ).toEqual(['email:requested:form', 'sms:granted:form', 'email:confirmed:double-opt-in']);
  });
});

describe('B6: one confirmation mail per address per resendAfterSeconds', () => {
  it('a second sign-up at once is recorded but mails nothing', async () => {
    expect((await submit('fay@example.com', { doi: true })).body.data.confirmation).toEqual({ mailSent: true });
    const second = await submit('fay@example.com', { doi: true });
    expect(second.status).toBe(201);
    expect(second.body.data.confirmation).toEqual({ mailSent: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.filter((m) => m.to.includes('fay@example.com'))).toHaveLength(1);
  });
});

describe('B4: unconfirmed requests expire and are purged by the retention task', () => {
  it('expires pending states, deletes the requests, forgets unconfirmed addresses; idempotent and safe to run twice at once', async () => {
    await submit('gus@example.com', { doi: true });
    await mailTo('gus@example.com');
    const later = new Date(Date.now() + 15 * 86_400_000);
    const service = consent().service('confirmations');
    const [first, second] = await Promise.all([service.expirePending(later), service.expirePending(later)]);
    expect(first.expired + second.expired).toBeGreaterThan(0);
    const pending = await app.strapi.db.connection('consent_confirmations').whereNull('confirmed_at');
    expect(pending).toHaveLength(0);
    // Gus never confirmed and has nothing else on record: the address is gone; the pseudonymous proof stays.
    expect(await app.strapi.db.connection('consent_subjects').where({ email: 'gus@example.com' })).toHaveLength(0);
    const expiredEvents = await app.strapi.db.connection('consent_events').where({ action: 'expired', purpose: 'doi' });
    expect(expiredEvents.length).toBeGreaterThan(0);
    expect(new Set(expiredEvents.map((e: { subject: string }) => `${e.subject}`)).size).toBe(expiredEvents.length);
    // Ada confirmed: she keeps her address and her grant.
    expect(await stateOf('ada@example.com')).toBe('granted');
    expect(await service.expirePending(later)).toEqual({ expired: 0, requests: 0 });
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  });
});

describe('C4, B1: where double opt-in applies, only the confirmation lifts a person\'s "leave everything" entry', () => {
  const leaveAll = (email: string) =>
    app.http().post('/api/consent/withdrawals').send({ subject: { email }, purposes: 'all' });
  const pause = () => new Promise((r) => setTimeout(r, 20));

  it('C4/B1: the tick leaves them pending and suppressed; the confirmation lifts the entry for that purpose', async () => {
    expect((await leaveAll('zoe@example.com')).status).toBe(202);
    await pause();
    expect((await submit('zoe@example.com', { doi: true })).status).toBe(201);
    expect(await eligibility('zoe@example.com')).toMatchObject({
      eligible: false,
      state: 'pending',
      reasons: ['pending-confirmation', 'suppressed'],
    });
    await app.http().post(confirmationLink(await mailTo('zoe@example.com')).path);
    expect(await eligibility('zoe@example.com')).toMatchObject({ eligible: true, state: 'granted', reasons: [] });
    expect((await eligibility('zoe@example.com', 'newsletter')).eligible).toBe(false);
  });

  it('C4/J2/N7/B1: after an imported grant, a tick on the double opt-in purpose (recorded as granted, no confirmation asked) does not lift it', async () => {
    const { createApiToken } = await import('../harness/api-token');
    const token = await createApiToken(app.strapi, 'crm-doi');
    expect((await leaveAll('yan@example.com')).status).toBe(202);
    await pause();
    const occurredAt = new Date(Date.now() + 1000).toISOString();
    const imported = await app
      .http()
      .post('/api/consent/events')
      .set('Authorization', `Bearer ${token}`)
      .send({
        source: { type: 'first-party', name: 'Call centre' },
        events: [
          {
            subject: { email: 'yan@example.com' },
            purpose: 'doi',
            channel: 'email',
            action: 'granted',
            occurredAt,
            method: 'import',
            proof: {
              formVersion: 'paper-v1',
              timestamp: occurredAt,
              recipients: ['Example Shop SAS'],
              uiEvidence: 'scan-1',
            },
          },
        ],
      });
    expect(imported.body.data.events[0]).toMatchObject({ status: 'recorded', warnings: ['suppression-not-lifted'] });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await submit('yan@example.com', { doi: true })).status).toBe(201);
    expect(await eligibility('yan@example.com')).toMatchObject({
      eligible: false,
      state: 'granted',
      reasons: ['suppressed'],
    });
  });
});
