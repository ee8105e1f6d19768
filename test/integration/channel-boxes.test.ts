/**
 * One box per channel (issue 15 part 5, second bullet; A4, B5, N16). The public form definition gives a
 * purpose with several channels a `boxes` array (one per channel, labelled in the form's language); a
 * submission answers it with `choices.<purpose>` = `{ "<channel>": boolean }` (JSON) or
 * `choices[purpose][channel]=on` (urlencoded), and each channel is recorded on its own. Unknown channel
 * keys and channels the purpose does not have are a 400 naming `choices.<purpose>.<channel>`, with nothing
 * written. The identifier rule applies per ticked box.
 */
import { FORM_ORIGIN, postSubmission, rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { errorPaths, statesByChannel } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let notices: Record<string, { version: number; hash: string }>;

beforeAll(async () => {
  app = await bootStrapi();
  const omni = { key: 'omni', name: 'Offers by mail and phone', legalBasis: 'consent' as const };
  notices = shownNotices(
    await setupForm(app.strapi, ['newsletter', { ...omni, channels: ['email', 'sms', 'phone'] }, 'postal'])
  );
});
afterAll(() => app?.stop());

const knex = () => app.strapi.db.connection;
const only = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, notices[k]]));
const submit = (subject: Record<string, string>, choices: Record<string, unknown>) =>
  postSubmission(app, { form: 'signup', subject, choices, notices: only(Object.keys(choices)) });
const paths = errorPaths;
const statesOf = (subject: string, purpose: string) => statesByChannel(app.strapi, subject, purpose);

describe('A4: the public form definition offers one box per channel', () => {
  it('A4: a purpose with several channels has boxes (channel and label, in the form language); one-channel purposes none', async () => {
    const en = await app.http().get('/api/consent/forms/signup');
    expect(en.status).toBe(200);
    const omni = en.body.data.purposes.find((p: { key: string }) => p.key === 'omni');
    expect(omni.boxes).toEqual([
      { channel: 'email', label: 'By email' },
      { channel: 'sms', label: 'By text message (SMS)' },
      { channel: 'phone', label: 'By phone call' },
    ]);
    expect(en.body.data.purposes.find((p: { key: string }) => p.key === 'newsletter').boxes).toBeUndefined();
    const de = await app.http().get('/api/consent/forms/signup?locale=de');
    expect(
      de.body.data.purposes.find((p: { key: string }) => p.key === 'omni').boxes.map((b: { label: string }) => b.label)
    ).toEqual(['Per E-Mail', 'Per SMS', 'Per Telefonanruf']);
    const fr = await app.http().get('/api/consent/forms/signup?locale=fr');
    expect(fr.body.data.purposes.find((p: { key: string }) => p.key === 'omni').boxes[0].label).toBe('Par e-mail');
  });
});

describe('A4, B5, N16: each box is recorded on its own', () => {
  it('A4: ticking email only grants email and refuses the unticked sms and phone boxes', async () => {
    const res = await submit(
      { email: 'ana@example.com', phone: '+33612340001' },
      { omni: { email: true, sms: false, phone: false } }
    );
    expect(res.status).toBe(201);
    const subject = res.body.data.receipt.piiPrincipalId;
    expect(res.body.data.states.omni).toBe('granted');
    expect(await statesOf(subject, 'omni')).toEqual({ email: 'granted', sms: 'refused', phone: 'refused' });
  });

  it('A4: a later submission ticking sms grants it and leaves the email consent given', async () => {
    const res = await submit(
      { email: 'ana@example.com', phone: '+33612340001' },
      { omni: { email: false, sms: true } }
    );
    expect(res.status).toBe(201);
    const subject = res.body.data.receipt.piiPrincipalId;
    expect(await statesOf(subject, 'omni')).toEqual({ email: 'granted', sms: 'granted', phone: 'refused' });
  });

  it('A4: a plain boolean still means every channel', async () => {
    const res = await submit({ email: 'bo@example.com', phone: '+33612340002' }, { omni: true });
    expect(res.status).toBe(201);
    expect(await statesOf(res.body.data.receipt.piiPrincipalId, 'omni')).toEqual({
      email: 'granted',
      sms: 'granted',
      phone: 'granted',
    });
  });

  it('A4/B5/N16: a ticked sms box without a phone number → 400 naming subject.phone, nothing written', async () => {
    const before = await rowCounts(app.strapi);
    const res = await submit({ email: 'cy@example.com' }, { omni: { email: false, sms: true } });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['subject.phone']);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });

  it('A4/N16: email and sms ticked with an email only: email granted, nothing on sms, phone refused', async () => {
    const res = await submit({ email: 'dee@example.com' }, { omni: { email: true, sms: true, phone: false } });
    expect(res.status).toBe(201);
    expect(await statesOf(res.body.data.receipt.piiPrincipalId, 'omni')).toEqual({
      email: 'granted',
      phone: 'refused',
    });
  });

  it('A4: urlencoded choices[omni][sms]=on ticks that box only', async () => {
    const res = await app
      .http()
      .post('/api/consent/submissions')
      .set({ Origin: FORM_ORIGIN, Accept: 'text/html' })
      .type('form')
      .send(
        `form=signup&locale=en&subject%5Bemail%5D=eli%40example.com&subject%5Bphone%5D=%2B33612340003` +
          `&choices%5Bomni%5D%5Bsms%5D=on&notices%5Bomni%5D%5Bversion%5D=${notices.omni.version}&notices%5Bomni%5D%5Bhash%5D=${notices.omni.hash}`
      );
    expect(res.status).toBe(303);
    const subject = await knex()('consent_subjects').where({ email: 'eli@example.com' }).first();
    expect(await statesOf(subject.pseudonym, 'omni')).toEqual({ email: 'refused', sms: 'granted', phone: 'refused' });
  });
});

describe('A4: bad per-channel answers are 400s naming the field, nothing written', () => {
  it.each([
    ['an unknown channel key', 'choices.omni.pigeon', { omni: { email: true, pigeon: true } }],
    ['a channel the purpose does not have', 'choices.omni.postal', { omni: { email: true, postal: true } }],
    ['a non-boolean box', 'choices.omni.email', { omni: { email: 'on' } }],
    ['an empty object', 'choices.omni', { omni: {} }],
    ['an array', 'choices.omni', { omni: ['email'] }],
  ])('A4: %s → 400 naming %s', async (_what, path, choices) => {
    const before = await rowCounts(app.strapi);
    const res = await submit({ email: 'fay@example.com', phone: '+33612340004' }, choices);
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual([path]);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });
});
