/**
 * No consent for a channel without its identifier (issue 15 part 5, first bullet; A4, B5, N16). A ticked
 * phone or SMS purpose without a phone number, or an email purpose without an address, is a 400 naming
 * `subject.phone` / `subject.email`, and nothing is written; the same through the form hook. A purpose on
 * several channels ticked with only some identifiers is recorded on those channels only (the reading
 * chosen, server/src/domain/channel-identifiers.ts). The preference centre offers a channel only when
 * the person has its identifier, and refuses a grant without it.
 */
import { postContactRequest, postSubmission, rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { errorPaths, statesByChannel } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let notices: Record<string, { version: number; hash: string }>;
let hookNotices: Record<string, { version: number; hash: string }>;

beforeAll(async () => {
  app = await bootStrapi();
  const omni = { key: 'omni', name: 'Offers by mail and phone', legalBasis: 'consent' as const };
  notices = shownNotices(
    await setupForm(app.strapi, ['newsletter', 'sms', { ...omni, channels: ['email', 'phone'] }, 'postal'])
  );
  hookNotices = shownNotices(await setupForm(app.strapi, ['newsletter', 'sms'], { key: 'contact' }));
});
afterAll(() => app?.stop());

const consent = () => app.strapi.plugin('consent');
const knex = () => app.strapi.db.connection;
const only = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, notices[k]]));
const submit = (subject: Record<string, string>, choices: Record<string, boolean>) =>
  postSubmission(app, { form: 'signup', subject, choices, notices: only(Object.keys(choices)) });
const counts = async () => ({
  ...(await rowCounts(app.strapi)),
  entries: Number((await knex()('contact_requests').count({ n: '*' }))[0].n),
});
const paths = errorPaths;
const statesOf = (subject: string, purpose: string) => statesByChannel(app.strapi, subject, purpose);

describe('A4, B5, N16: a ticked purpose needs the identifier of its channel', () => {
  it('A4/B5/N16: a ticked SMS/phone purpose without a phone number → 400 naming subject.phone, nothing written', async () => {
    const before = await counts();
    const res = await submit({ email: 'ann@example.com' }, { sms: true });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['subject.phone']);
    expect(res.body.error.message).toMatch(/subject\.phone/);
    expect(await counts()).toEqual(before);
  });

  it('A4/N16: a ticked email purpose without an address (phone only) → 400 naming subject.email, nothing written', async () => {
    const before = await counts();
    const res = await submit({ phone: '+33612345001' }, { newsletter: true });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['subject.email']);
    expect(await counts()).toEqual(before);
  });

  it('A4/N16: a purpose on email and phone ticked with neither (external id only) → 400 naming both fields', async () => {
    const before = await counts();
    const res = await submit({ externalId: 'acct-1' }, { omni: true });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['subject.email', 'subject.phone']);
    expect(await counts()).toEqual(before);
  });

  it('A4/B5/N16: a purpose on email and phone ticked with an email only is granted on email, and nothing on phone', async () => {
    const res = await submit({ email: 'ben@example.com' }, { omni: true });
    expect(res.status).toBe(201);
    const subject = res.body.data.receipt.piiPrincipalId;
    expect(res.body.data.states.omni).toBe('granted');
    expect(await statesOf(subject, 'omni')).toEqual({ email: 'granted' });
    expect((await knex()('consent_events').where({ subject, purpose: 'omni', channel: 'phone' })).length).toBe(0);
    expect(
      (await consent().service('eligibility').check('omni', 'phone', { email: 'ben@example.com' })).reasons
    ).toEqual(['no-consent']);
  });

  it('A4/N16: with the number the same purpose is granted on both; an SMS purpose with it on both its channels', async () => {
    const res = await submit({ email: 'cy@example.com', phone: '+33612345002' }, { omni: true, sms: true });
    expect(res.status).toBe(201);
    const subject = res.body.data.receipt.piiPrincipalId;
    expect(await statesOf(subject, 'omni')).toEqual({ email: 'granted', phone: 'granted' });
    expect(await statesOf(subject, 'sms')).toEqual({ sms: 'granted', phone: 'granted' });
  });

  it('A4: an unticked box or an objection needs no identifier: refusing SMS with an email only is fine', async () => {
    const res = await submit({ email: 'dee@example.com' }, { sms: false, postal: true });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toMatchObject({ sms: 'refused', postal: 'objected' });
  });

  it('A4/B5/N16: the form hook refuses a ticked SMS purpose without a phone number: 400 naming consent.subject.phone, no entry', async () => {
    const before = await counts();
    const res = await postContactRequest(app, {
      data: { name: 'Eve', email: 'eve@example.com', message: 'Call me.' },
      consent: { subject: { email: 'eve@example.com' }, choices: { sms: true }, notices: { sms: hookNotices.sms } },
    });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['consent.subject.phone']);
    expect(await counts()).toEqual(before);
  });
});

describe('A4, B5, N16: the preference centre offers a channel only with its identifier', () => {
  let url: string;
  let subject: string;
  beforeAll(async () => {
    subject = (await submit({ email: 'fay@example.com' }, { newsletter: true })).body.data.receipt.piiPrincipalId;
    url = new URL(consent().service('links').forSubject(subject, 'newsletter', 'email').preferencesUrl).pathname;
  });

  it('A4/N16: GET leaves out SMS (no number on record) and offers the email channel only of a purpose on email and phone', async () => {
    const res = await app.http().get(url);
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(res.body.data.purposes.map((p: { key: string }) => [p.key, p]));
    expect(byKey.sms).toBeUndefined();
    expect(byKey.omni).toMatchObject({ channels: ['email'], states: { email: 'none' } });
    expect(byKey.newsletter).toMatchObject({ channels: ['email'], states: { email: 'granted' } });
    expect(byKey.postal).toBeDefined();
  });

  it('A4/B5/N16: PUT granting SMS without a number → 400 naming subject.phone, nothing written', async () => {
    const before = await counts();
    const res = await app
      .http()
      .put(url)
      .send({ choices: { sms: true }, notices: { sms: notices.sms } });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['subject.phone']);
    expect(await counts()).toEqual(before);
  });

  it('A4/N16: PUT granting the purpose on email and phone grants the email channel only', async () => {
    const res = await app
      .http()
      .put(url)
      .send({ choices: { omni: true }, notices: { omni: notices.omni } });
    expect(res.status).toBe(200);
    expect(res.body.data.states.omni).toBe('granted');
    expect(await statesOf(subject, 'omni')).toEqual({ email: 'granted' });
  });
});
