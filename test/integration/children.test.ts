/**
 * Children's consent (G1–G6) over the whole path: a form offered to children asks for age, a child below
 * the age of digital consent only requests consent, a real SMTP listener receives the mail to the parent,
 * the parent's link opens a page and its button grants, with the method recorded. The person reaching
 * the threshold (the stored date back-dated, no clock moved) must confirm a parent's consent themselves.
 */
import { tokenHash } from '../../server/src/domain/tokens';
import { publishNotice, rowCounts, setupForm, shownNotices, type Notices } from '../harness/consent-setup';
import { errorPaths, replayThenStop } from '../harness/ledger-replay';
import { startSmtp, type ReceivedMail, type SmtpListener } from '../harness/smtp';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let smtp: SmtpListener;
let notices: Notices;
const ORIGIN = 'https://shop.example';

const consent = () => app.strapi.plugin('consent');
const knex = () => app.strapi.db.connection;
const submit = (body: Record<string, unknown>) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set('Origin', ORIGIN)
    .send({ form: 'kids', notices, ...body });
const eligibility = (email: string, purpose = 'newsletter') =>
  consent().service('eligibility').check(purpose, 'email', { email });
const subjectRow = async (email: string) => {
  const hash = consent().service('subjects').hash('email', email);
  return knex()('consent_subjects').where({ email_hash: hash }).first();
};
const eventsOf = async (pseudonym: string, purpose = 'newsletter') =>
  knex()('consent_events').where({ subject: pseudonym, purpose }).orderBy('seq', 'asc');
const evidence = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, any>;
const parentLink = (mail: ReceivedMail) => {
  const match = /https?:\/\/\S+(\/api\/consent\/parental-consent\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+))/.exec(mail.text);
  if (!match) throw new Error(`no parental link in: ${mail.text}`);
  return { path: match[1], token: match[2] };
};
/** G6 is read at every check: the tests about consent itself allow marketing to children, as a site owner can. */
const allowChildMarketing = (allowed: boolean) =>
  app.strapi.config.set('plugin::consent.children.directMarketing', allowed);
const dateIn = (years: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), now.getUTCDate()));
};

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({ env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) } });
  // The playground's jurisdiction is `fr`: a children's form without a country of its own applies FR's 15.
  notices = shownNotices(
    await setupForm(app.strapi, ['newsletter', 'postal'], { key: 'kids', name: 'Kids club', offeredToChildren: true })
  );
  await setupForm(app.strapi, ['newsletter'], {
    key: 'kids-at',
    name: 'Kids club AT',
    offeredToChildren: true,
    childrenCountry: 'AT',
  });
  await setupForm(app.strapi, ['newsletter'], { key: 'adults', name: 'Newsletter' });
  await publishNotice(app.strapi, 'newsletter', 'de', 'Newsletter');
});
afterAll(async () => {
  await replayThenStop(app);
  await smtp?.stop();
});

describe('G1: a form offered to children asks for age, against the threshold of its country', () => {
  it('the public definition carries the age question and its threshold (form country, else the site jurisdiction)', async () => {
    const kids = await app.http().get('/api/consent/forms/kids');
    expect(kids.status).toBe(200);
    expect(kids.body.data.ageQuestion).toEqual({ threshold: 15, country: 'FR' });
    const at = await app.http().get('/api/consent/forms/kids-at');
    expect(at.body.data.ageQuestion).toEqual({ threshold: 14, country: 'AT' });
    const adults = await app.http().get('/api/consent/forms/adults');
    expect(adults.body.data.ageQuestion).toBeUndefined();
  });

  it('the admin saves the flag and the country, and refuses a country that is not a code', async () => {
    const form = await consent().service('forms').find('kids-at');
    expect(form).toMatchObject({ offeredToChildren: true, childrenCountry: 'AT' });
    const { validateUpdateForm } = await import('../../server/src/validation/form');
    await expect(validateUpdateForm({ childrenCountry: 'Austria' })).rejects.toThrow(
      /childrenCountry must be an ISO 3166-1 alpha-2/
    );
  });
});

describe('bad input: 400 naming the field, nothing written', () => {
  it.each([
    ['an age that is not a number', { age: 'twelve' }, 'age'],
    ['an age given as text in JSON', { age: '12' }, 'age'],
    ['a birth year that is not a number', { birthYear: '2014x' }, 'birthYear'],
    ['no age at all', {}, 'age'],
    ['a child below the threshold without a parent address', { age: 12 }, 'parentEmail'],
    ['a parent address that is the child’s own', { age: 12, parentEmail: 'kid-bad@example.com' }, 'parentEmail'],
  ])('%s', async (_name, extra, field) => {
    const before = await rowCounts(app.strapi);
    const res = await submit({ subject: { email: 'kid-bad@example.com' }, choices: { newsletter: true }, ...extra });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toContain(field);
    expect(res.body.error.message).toContain(field);
    expect(await rowCounts(app.strapi)).toEqual(before);
    expect(
      Number(((await knex()('consent_parental_consents').count({ n: '*' })) as { n: number | string }[])[0].n)
    ).toBe(0);
  });

  it('an age sent to a form not offered to children', async () => {
    const res = await submit({
      form: 'adults',
      subject: { email: 'adult-bad@example.com' },
      choices: { newsletter: true },
      notices: { newsletter: notices.newsletter },
      age: 30,
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['age']);
  });

  it('an urlencoded form posting letters for the age', async () => {
    const before = await rowCounts(app.strapi);
    const res = await app
      .http()
      .post('/api/consent/submissions')
      .set('Origin', ORIGIN)
      .type('form')
      .send(
        `form=kids&subject[email]=kid-form@example.com&age=ten&choices[newsletter]=on` +
          `&notices[newsletter][version]=${notices.newsletter.version}&notices[newsletter][hash]=${notices.newsletter.hash}`
      );
    expect(res.status).toBe(400);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });
});

describe('G2, G4: below the threshold, the parent confirms', () => {
  let pseudonym: string;
  let mail: ReceivedMail;

  it("the child's tick is pending, a mail goes to the parent, and the child is not eligible", async () => {
    const res = await submit({
      subject: { email: 'mia@example.com' },
      choices: { newsletter: true },
      age: 12,
      parentEmail: 'Parent.Mia@Example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ newsletter: 'pending' });
    expect(res.body.data.parentalConsent).toEqual({ mailSent: true });
    expect(res.body.data.confirmation).toBeUndefined();

    allowChildMarketing(true);
    expect(await eligibility('mia@example.com')).toMatchObject({
      eligible: false,
      state: 'pending',
      reasons: ['parental-consent-pending'],
    });

    mail = await smtp.waitFor((m) => m.to.includes('parent.mia@example.com'));
    expect(mail.subject).toContain('your consent is needed');
    expect(mail.text).toContain('- About newsletter');
    expect(mail.to).toEqual(['parent.mia@example.com']);
    // No double opt-in mail to the child: the parent's confirmation is the one that counts.
    expect(smtp.mails.some((m) => m.to.includes('mia@example.com'))).toBe(false);
  });

  it('G1 minimised: the record keeps the outcome and the day it ends, never the age', async () => {
    const row = await subjectRow('mia@example.com');
    pseudonym = row.pseudonym;
    expect(!!row.child && String(row.child) !== '0').toBe(true);
    // Age 12 against 15: three years from today at the latest.
    expect(new Date(Number(row.child_until) || row.child_until).toISOString().slice(0, 10)).toBe(
      dateIn(3).toISOString().slice(0, 10)
    );
    expect(JSON.stringify(row)).not.toMatch(/"age"|birth/i);
    const [requested] = await eventsOf(pseudonym);
    expect(requested).toMatchObject({ action: 'requested', state: 'pending', actor: 'subject' });
    expect(evidence(requested.evidence)).toMatchObject({
      ageCheck: { child: true, reachesThresholdOn: dateIn(3).toISOString().slice(0, 10), threshold: 15, country: 'FR' },
      parentalConsent: { parentEmailHash: consent().service('subjects').hash('email', 'parent.mia@example.com') },
    });
    expect(JSON.stringify(requested)).not.toMatch(/"age":|parent\.mia/);
  });

  it('G1, Art. 15: the export and the admin record say the person is recorded as a child, and until when', async () => {
    const exported = await consent().service('rights').export(pseudonym);
    expect(exported.subject).toMatchObject({ child: true, childUntil: expect.stringMatching(/^\d{4}-/) });
    expect(exported.subject.childUntil!.slice(0, 10)).toBe(dateIn(3).toISOString().slice(0, 10));
    expect(JSON.stringify(exported)).not.toMatch(/"age":|birth/i);
  });

  it('opening the link changes nothing; the button grants, recorded as the parent with its method', async () => {
    const link = parentLink(mail);
    const page = await app.http().get(link.path).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('I consent');
    expect(await eligibility('mia@example.com')).toMatchObject({
      eligible: false,
      reasons: ['parental-consent-pending'],
    });

    const confirmed = await app.http().post(link.path).set('Accept', 'application/json');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data).toEqual({ status: 'confirmed', states: { newsletter: 'granted' } });
    expect(await eligibility('mia@example.com')).toMatchObject({ eligible: true, state: 'granted', reasons: [] });

    const events = await eventsOf(pseudonym);
    const grant = events[events.length - 1];
    expect(grant).toMatchObject({
      action: 'confirmed',
      state: 'granted',
      method: 'link',
      actor: 'parent',
      purpose: 'newsletter',
      channel: 'email',
    });
    expect(evidence(grant.evidence)).toMatchObject({
      kind: 'parental-confirmation',
      verification: 'email-to-parent-with-confirmation-link',
      parent: { emailHash: consent().service('subjects').hash('email', 'parent.mia@example.com') },
      ageThreshold: { threshold: 15, country: 'FR' },
    });
    // G3: the child's request and the parent's consent are both on the ledger.
    expect(events.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`)).toEqual([
      'requested:subject',
      'confirmed:parent',
    ]);
    // The parent's address is not kept once used.
    const request = await knex()('consent_parental_consents').where({ subject: pseudonym }).first();
    expect(request.parent_email).toBeNull();

    const again = await app.http().post(link.path).set('Accept', 'application/json');
    expect(again.body.data.status).toBe('already-confirmed');
    expect(await eventsOf(pseudonym)).toHaveLength(2);
  });

  it("G2: a child ticking again while a parent's grant stands changes nothing", async () => {
    const res = await submit({
      subject: { email: 'mia@example.com' },
      choices: { newsletter: true },
      age: 12,
      parentEmail: 'parent.mia@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ newsletter: 'granted' });
    expect(res.body.data.parentalConsent).toBeUndefined();
    expect(await eventsOf(pseudonym)).toHaveLength(2);
  });

  it('G6: by default, direct marketing to a child-flagged record is off, with its own reason', async () => {
    allowChildMarketing(false);
    expect(await eligibility('mia@example.com')).toMatchObject({
      eligible: false,
      state: 'granted',
      reasons: ['child-marketing-off'],
    });
    allowChildMarketing(true);
  });

  it('G5: once the person reaches the threshold, the parent’s consent is theirs to confirm, and their own tick does', async () => {
    // The stored date back-dated: the person reached the threshold yesterday.
    await knex()('consent_subjects')
      .where({ pseudonym })
      .update({ child_until: new Date(Date.now() - 86_400_000) });
    allowChildMarketing(false);
    expect(await eligibility('mia@example.com')).toMatchObject({
      eligible: false,
      state: 'granted',
      reasons: ['own-confirmation-required'],
    });

    const res = await submit({ subject: { email: 'mia@example.com' }, choices: { newsletter: true }, age: 15 });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ newsletter: 'granted' });
    expect(await eligibility('mia@example.com')).toMatchObject({ eligible: true, reasons: [] });
    const events = await eventsOf(pseudonym);
    expect(events[events.length - 1]).toMatchObject({ action: 'granted', method: 'form', actor: 'subject' });
    allowChildMarketing(true);
  });
});

describe('at or over the threshold, the person consents themselves', () => {
  it('age 15 on a French form: granted by their own tick, no parent involved', async () => {
    const res = await submit({ subject: { email: 'leo@example.com' }, choices: { newsletter: true }, age: 15 });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ newsletter: 'granted' });
    expect(res.body.data.parentalConsent).toBeUndefined();
    allowChildMarketing(false);
    expect(await eligibility('leo@example.com')).toMatchObject({ eligible: true, reasons: [] });
    allowChildMarketing(true);
    const row = await subjectRow('leo@example.com');
    expect(!!row.child && String(row.child) !== '0').toBe(false);
    expect(row.child_until).toBeNull();
  });

  it('age 14 on the Austrian form (14) is over; a birth year is judged conservatively', async () => {
    const at = await submit({
      form: 'kids-at',
      subject: { email: 'ana@example.com' },
      choices: { newsletter: true },
      notices: { newsletter: notices.newsletter },
      age: 14,
    });
    expect(at.body.data.states).toMatchObject({ newsletter: 'granted' });
    // Born in the year that turns 15 this year: a child until 31 December, whatever the birthday.
    const year = new Date().getUTCFullYear() - 15;
    const res = await submit({
      subject: { email: 'tom@example.com' },
      choices: { newsletter: true },
      birthYear: year,
      parentEmail: 'parent.tom@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ newsletter: 'pending' });
    const row = await subjectRow('tom@example.com');
    expect(new Date(Number(row.child_until) || row.child_until).toISOString().slice(0, 10)).toBe(`${year + 15}-12-31`);
  });

  it('a child who answers an older age later stays a child on the record', async () => {
    const res = await submit({
      subject: { email: 'tom@example.com' },
      choices: { newsletter: true },
      age: 40,
      parentEmail: 'parent.tom2@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ newsletter: 'pending' });
    expect(res.body.data.parentalConsent).toEqual({ mailSent: true });
  });
});

describe('G2: only the parent grants, and an unanswered request lapses', () => {
  let smsNotices: Notices;
  beforeAll(async () => {
    smsNotices = shownNotices(
      await setupForm(app.strapi, ['sms'], { key: 'kids-sms', name: 'Kids texts', offeredToChildren: true })
    );
  });

  it("a verified phone number does not grant a child's request", async () => {
    const res = await submit({
      form: 'kids-sms',
      notices: smsNotices,
      subject: { phone: '+33612345601' },
      choices: { sms: true },
      age: 11,
      parentEmail: 'parent.noa@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ sms: 'pending' });
    const verified = await consent()
      .service('confirmations')
      .verifyPhone({ subject: { phone: '+33612345601' }, method: 'sms-code', reference: 'otp-1' });
    expect(verified).toEqual({ confirmed: [] });
    const check = await consent().service('eligibility').check('sms', 'sms', { phone: '+33612345601' });
    expect(check).toMatchObject({ eligible: false, state: 'pending', reasons: ['parental-consent-pending'] });
  });

  it("G2: an older parent's link cannot answer the request a newer one was asked, and names only its own parent", async () => {
    const ask = (parentEmail: string) =>
      submit({ subject: { email: 'ava@example.com' }, choices: { newsletter: true }, age: 11, parentEmail });
    expect((await ask('first.parent@example.com')).status).toBe(201);
    const first = parentLink(await smtp.waitFor((m) => m.to.includes('first.parent@example.com')));
    expect((await ask('second.parent@example.com')).status).toBe(201);
    const second = parentLink(await smtp.waitFor((m) => m.to.includes('second.parent@example.com')));
    const pseudonym = (await subjectRow('ava@example.com')).pseudonym;
    const confirmations = async () =>
      (await eventsOf(pseudonym)).filter((e: { action: string }) => e.action === 'confirmed');

    // The first link's request was taken over by the second: its button grants nothing.
    const stale = await app.http().post(first.path).set('Accept', 'application/json');
    expect(stale.status).toBe(200);
    expect(await confirmations()).toHaveLength(0);
    allowChildMarketing(true);
    expect(await eligibility('ava@example.com')).toMatchObject({
      eligible: false,
      reasons: ['parental-consent-pending'],
    });

    const answered = await app.http().post(second.path).set('Accept', 'application/json');
    expect(answered.body.data).toEqual({ status: 'confirmed', states: { newsletter: 'granted' } });
    const [grant] = await confirmations();
    expect(evidence(grant.evidence).parent.emailHash).toBe(
      consent().service('subjects').hash('email', 'second.parent@example.com')
    );
    allowChildMarketing(false);
  });

  it('B4, G2: once the link has expired, the hourly job expires the pending consent and deletes the request', async () => {
    const res = await submit({
      subject: { email: 'eli@example.com' },
      choices: { newsletter: true },
      age: 10,
      parentEmail: 'parent.eli@example.com',
    });
    expect(res.status).toBe(201);
    const pseudonym = (await subjectRow('eli@example.com')).pseudonym;
    const service = consent().service('parental-consents');
    // Before the link's week is over, nothing lapses.
    expect(await service.expirePending(new Date())).toEqual({ expired: 0, requests: 0 });
    const later = new Date(Date.now() + 8 * 86_400_000);
    // Every open request of this file lapses then (Tom's and Noa's too), each once.
    const open = Number(
      (
        (await knex()('consent_parental_consents').whereNull('confirmed_at').count({ n: '*' })) as {
          n: number | string;
        }[]
      )[0].n
    );
    const lapsed = await service.expirePending(later);
    expect(lapsed.requests).toBe(open);
    expect(lapsed.expired).toBeGreaterThanOrEqual(1);
    expect(await consent().service('eligibility').check('newsletter', 'email', { subject: pseudonym })).toMatchObject({
      eligible: false,
      state: 'expired',
    });
    // B4: nothing left to honour, so the child's unconfirmed address goes too.
    expect(await subjectRow('eli@example.com')).toBeUndefined();
    const events = await eventsOf(pseudonym);
    expect(events[events.length - 1]).toMatchObject({ action: 'expired', state: 'expired', actor: 'system' });
    expect(evidence(events[events.length - 1].evidence)).toMatchObject({ reason: 'parent-did-not-confirm' });
    expect(await knex()('consent_parental_consents').where({ subject: pseudonym })).toHaveLength(0);
    expect(await service.expirePending(later)).toEqual({ expired: 0, requests: 0 });
  });

  it('G2: a parent link past its week answers 410 with a page, and grants nothing', async () => {
    expect(
      (
        await submit({
          subject: { email: 'ivy@example.com' },
          choices: { newsletter: true },
          age: 9,
          parentEmail: 'parent.ivy@example.com',
        })
      ).status
    ).toBe(201);
    const link = parentLink(await smtp.waitFor((m) => m.to.includes('parent.ivy@example.com')));
    await knex()('consent_parental_consents')
      .where({ token_hash: tokenHash(link.token) })
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect((await app.http().get(link.path).set('Accept', 'application/json')).status).toBe(410);
    const page = await app.http().post(link.path).set('Accept', 'text/html');
    expect(page.status).toBe(410);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const pseudonym = (await subjectRow('ivy@example.com')).pseudonym;
    expect((await eventsOf(pseudonym)).map((e: { action: string }) => e.action)).toEqual(['requested']);
  });
});

describe("G2: a child's own grant, given where no age is asked, is not consent", () => {
  beforeAll(() => allowChildMarketing(true));
  afterAll(() => allowChildMarketing(false));

  it('the kids club found Zoe to be 12; her tick on the adults’ form is recorded, and eligibility waits for a parent', async () => {
    const asked = await submit({ subject: { email: 'zoe@example.com' }, choices: { newsletter: false }, age: 12 });
    expect(asked.status).toBe(201);
    const own = await submit({
      form: 'adults',
      subject: { email: 'zoe@example.com' },
      choices: { newsletter: true },
      notices: { newsletter: notices.newsletter },
    });
    expect(own.status).toBe(201);
    expect(own.body.data.states).toMatchObject({ newsletter: 'granted' });
    expect(await eligibility('zoe@example.com')).toMatchObject({
      eligible: false,
      state: 'granted',
      reasons: ['parental-consent-pending'],
    });
  });

  it('her tick on the kids’ form still asks her parent, whose confirmation then grants', async () => {
    const res = await submit({
      subject: { email: 'zoe@example.com' },
      choices: { newsletter: true },
      age: 12,
      parentEmail: 'parent.zoe@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ newsletter: 'pending' });
    expect(res.body.data.parentalConsent).toEqual({ mailSent: true });
    const pseudonym = (await subjectRow('zoe@example.com')).pseudonym;
    const events = await eventsOf(pseudonym);
    expect(events[events.length - 1]).toMatchObject({ action: 'requested', state: 'pending', actor: 'subject' });

    const link = parentLink(await smtp.waitFor((m) => m.to.includes('parent.zoe@example.com')));
    const confirmed = await app.http().post(link.path).set('Accept', 'application/json');
    expect(confirmed.body.data).toEqual({ status: 'confirmed', states: { newsletter: 'granted' } });
    expect(await eligibility('zoe@example.com')).toMatchObject({ eligible: true, state: 'granted', reasons: [] });
  });
});
