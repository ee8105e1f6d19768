/**
 * I4, the one re-permission request, over the whole path: the nightly job (`consent:re-permission`, called
 * here with the instant to judge at), Strapi's email plugin to a real SMTP listener, the link in the mail,
 * its page, its button, and the purge that follows silence (`consent:prospect-purge`). People are made
 * "old" the way the ledger allows: their grant is appended with an earlier `occurredAt` and their
 * subject row's creation moved back; nothing on the ledger is ever changed.
 */
import { TABLE } from '../../server/src/constants';
import { monthsBefore } from '../../server/src/domain/retention-rules';
import { ERASED_IDENTIFIERS, publishNotice, setupForm } from '../harness/consent-setup';
import { expectStatesEqualReplay, replayThenStop } from '../harness/ledger-replay';
import { repermissionKit } from '../harness/repermission';
import { startSmtp, type ReceivedMail, type SmtpListener } from '../harness/smtp';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let smtp: SmtpListener;
const DAY = 86_400_000;
const NOW = new Date();

const consent = () => app.strapi.plugin('consent');
const retention = () => consent().service('retention');
const knex = () => app.strapi.db.connection;
const { subjectRow, eventsOf, evidenceOf, eventCount, requestsOf, subscriber, settled } = repermissionKit(
  () => app.strapi
);

/** The re-permission link and the preference-centre link in a mail's text. */
const linksOf = (mail: ReceivedMail) => {
  const renew = /https?:\/\/\S+(\/api\/consent\/renew\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+))/.exec(mail.text);
  const preferences = /https?:\/\/\S+(\/api\/consent\/preferences\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!renew || !preferences) throw new Error(`links missing in: ${mail.text}`);
  return { renew: renew[1], token: renew[2], preferences: preferences[1] };
};

const people: Record<string, string> = {};
// The three years of someone whose last own act was `since` end 36 months later.
const endingIn = (days: number) => new Date(monthsBefore(NOW, 36).getTime() + days * DAY);

beforeAll(async () => {
  smtp = await startSmtp();
  // The defaults: French people's subscriptions too (retention.subscriberJurisdictions ['fr']), asked 30 days ahead.
  app = await bootStrapi({ env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) } });
  await setupForm(app.strapi, ['newsletter', 'partners', 'sms', 'service']);
  await consent()
    .service('purposes')
    .update('partners', { translations: { fr: { name: 'Offres des partenaires' } } });
  await publishNotice(app.strapi, 'partners', 'fr', 'Offres des partenaires');

  // Due: their three years end within 30 days.
  people.zoe = await subscriber({ email: 'zoe@example.fr' }, endingIn(10), { language: 'fr' });
  people.yan = await subscriber({ email: 'yan@example.fr' }, endingIn(20));
  // Not yet: 60 days left.
  people.kim = await subscriber({ email: 'kim@example.fr' }, endingIn(60));
  // Past their three years, but nobody can mail them: purged at the end without a request.
  people.ola = await subscriber({ phone: '+33612345678' }, endingIn(-5), { purposes: ['sms'], channel: 'sms' });
  // Outside the rule: a German subscriber keeps their subscription however long they are silent.
  people.dirk = await subscriber({ email: 'dirk@example.de' }, endingIn(-400), { jurisdiction: 'de' });
  // A customer: the contract keeps them while it runs (I4, customer data).
  people.cas = await subscriber({ email: 'cas@example.fr' }, endingIn(-400));
  await consent()
    .service('relationships')
    .upsert(
      { subject: { email: 'cas@example.fr' }, reference: 'C-1', startedAt: endingIn(-400).toISOString() },
      'test'
    );
  // A former customer whose contract ended more than three years ago and who cannot be mailed: purged,
  // and the contract's reference with them.
  people.eve = await subscriber({ phone: '+33698765432' }, endingIn(-600), { purposes: ['sms'], channel: 'sms' });
  await consent()
    .service('relationships')
    .upsert(
      {
        subject: { phone: '+33698765432' },
        reference: 'C-2',
        startedAt: endingIn(-600).toISOString(),
        endedAt: endingIn(-5).toISOString(),
      },
      'test'
    );
});
afterAll(async () => {
  await replayThenStop(app);
  await smtp?.stop();
});

describe('I4: one request, mailed before the three years end', () => {
  it('a mail that cannot be sent records nothing, so nobody is purged unasked; the next night tries again', async () => {
    const port = smtp.port;
    await smtp.stop();
    const before = await eventCount();
    const run = await retention().requestRepermission(NOW);
    // One message per purpose and language: zoe's in French, yan's in English.
    expect(run).toEqual({ requested: 2, messages: [expect.any(Number), expect.any(Number)] });
    const jobs = await settled(run.messages);
    expect(jobs.map((j) => j.counts)).toEqual([
      expect.objectContaining({ total: 1, failed: 1, sent: 0 }),
      expect.objectContaining({ total: 1, failed: 1, sent: 0 }),
    ]);
    expect(await eventCount()).toBe(before);
    // Unasked, a subscriber is not purged even past the end of their three years.
    const late = new Date(NOW.getTime() + 45 * DAY);
    await retention().purgeProspects(late);
    expect((await subjectRow(people.zoe)).email).toBe('zoe@example.fr');
    smtp = await startSmtp(port);
  });

  it('mails those due, once, in their language, with the way to answer, the deadline and the preference centre', async () => {
    const next = new Date(NOW.getTime() + DAY);
    const run = await retention().requestRepermission(next);
    expect(run).toEqual({ requested: 2, messages: [expect.any(Number), expect.any(Number)] });
    // Two instances on the same night: nobody is mailed twice.
    const [a, b] = await Promise.all([retention().requestRepermission(next), retention().requestRepermission(next)]);
    expect(a.requested + b.requested).toBe(0);
    const jobs = await settled(run.messages);
    expect(jobs.map((j) => j.counts.sent)).toEqual([1, 1]);
    expect(jobs.map((j) => [j.purpose, j.kind])).toEqual([
      ['partners', 'marketing'],
      ['partners', 'marketing'],
    ]);

    const zoe = await smtp.waitFor((m) => m.to.includes('zoe@example.fr'));
    expect(zoe.subject).toBe('Souhaitez-vous continuer à recevoir nos messages ?');
    expect(zoe.text).toContain('Offres des partenaires');
    expect(zoe.text).toContain('Example Shop SAS');
    const deadline = new Intl.DateTimeFormat('fr', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(next.getTime() + 30 * DAY)
    );
    expect(zoe.text).toContain(deadline);
    expect(linksOf(zoe)).toEqual(
      expect.objectContaining({ renew: expect.any(String), preferences: expect.any(String) })
    );
    const yan = await smtp.waitFor((m) => m.to.includes('yan@example.fr'));
    expect(yan.subject).toBe('Do you still want to hear from us?');
    expect(smtp.mails.filter((m) => m.to.includes('zoe@example.fr'))).toHaveLength(1);
    for (const other of ['kim@example.fr', 'dirk@example.de', 'cas@example.fr']) {
      expect(smtp.mails.filter((m) => m.to.includes(other))).toEqual([]);
    }

    // The request is on the ledger: a `contacted` event by the system (not an act of the person).
    const requests = await requestsOf(people.zoe);
    expect(requests).toEqual([
      expect.objectContaining({
        purpose: 'partners',
        channel: 'email',
        method: 'api',
        actor: 'system',
        state: 'granted',
      }),
    ]);
    expect(evidenceOf(requests[0])).toEqual({
      kind: 're-permission',
      tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      answerBy: new Date(next.getTime() + 30 * DAY).toISOString(),
      message: expect.any(Number),
    });
    expect(run.messages).toContain(evidenceOf(requests[0]).message);
    expect(await requestsOf(people.kim)).toEqual([]);
  });

  it('the next night asks nobody again', async () => {
    expect(await retention().requestRepermission(new Date(NOW.getTime() + 2 * DAY))).toEqual({
      requested: 0,
      messages: [],
    });
  });

  it('kim is asked when his own 30 days come', async () => {
    const run = await retention().requestRepermission(new Date(NOW.getTime() + 31 * DAY));
    expect(run).toEqual({ requested: 1, messages: [expect.any(Number)] });
    await settled(run.messages);
    await smtp.waitFor((m) => m.to.includes('kim@example.fr'));
  });
});

describe('I4: the answer', () => {
  let yan: ReturnType<typeof linksOf>;
  beforeAll(async () => {
    yan = linksOf(await smtp.waitFor((m) => m.to.includes('yan@example.fr')));
  });

  it('opening the link shows the question and changes nothing (mail scanners open links)', async () => {
    const before = await eventCount();
    const page = await app.http().get(yan.renew).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Do you still want to hear from us?');
    expect(page.text).toContain('Partner offers');
    expect(page.text).toMatch(
      /<form method="post" action="\/api\/consent\/renew\/[^"]+"><button type="submit">Keep me subscribed<\/button>/
    );
    const json = await app.http().get(yan.renew).expect(200);
    expect(json.body.data).toEqual({ language: 'en', purposes: ['Partner offers'], renewable: true });
    expect(await eventCount()).toBe(before);
  });

  it('the French page is in French', async () => {
    const zoe = linksOf(await smtp.waitFor((m) => m.to.includes('zoe@example.fr')));
    const page = await app.http().get(zoe.renew).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('Continuer à recevoir');
  });

  it('"keep me subscribed" is the person’s own act: a confirmed event by link, the notice they agreed to kept', async () => {
    const stateBefore = await knex()(TABLE.state)
      .where({ subject: people.yan, purpose: 'partners', channel: 'email' })
      .first();
    const page = await app.http().post(yan.renew).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Thank you: you will go on hearing from us about:');
    expect(page.text).toContain('<h1>You stay subscribed</h1>');

    const confirmed = (await eventsOf(people.yan)).filter((e: { action: string }) => e.action === 'confirmed');
    expect(confirmed).toEqual([
      expect.objectContaining({
        purpose: 'partners',
        channel: 'email',
        state: 'granted',
        method: 'link',
        actor: 'subject',
        notice_id: stateBefore.notice_id,
        notice_version: stateBefore.notice_version,
      }),
    ]);
    expect(evidenceOf(confirmed[0])).toMatchObject({ kind: 're-permission' });
    const stateAfter = await knex()(TABLE.state)
      .where({ subject: people.yan, purpose: 'partners', channel: 'email' })
      .first();
    expect(stateAfter.state).toBe('granted');
    expect(new Date(stateAfter.granted_at).getTime()).toBeGreaterThan(new Date(stateBefore.granted_at).getTime());
    expect(
      await consent().service('eligibility').check('partners', 'email', { email: 'yan@example.fr' })
    ).toMatchObject({ eligible: true });
  });

  it('a second answer changes nothing', async () => {
    const before = await eventCount();
    const res = await app.http().post(yan.renew).expect(200);
    expect(res.body.data).toEqual({ status: 'already-renewed', purposes: ['Partner offers'] });
    expect(await eventCount()).toBe(before);
  });

  it('a made-up or misused link is a 400 and writes nothing', async () => {
    const before = await eventCount();
    const [body] = yan.token.split('.');
    await app
      .http()
      .post(`/api/consent/renew/${body}.${'A'.repeat(43)}`)
      .expect(400);
    const page = await app
      .http()
      .get(`/api/consent/renew/${body}.${'A'.repeat(43)}`)
      .set('Accept', 'text/html')
      .expect(400);
    expect(page.text).toContain('This link is not valid');
    // A preference-centre token is not a re-permission token.
    const preferencesToken = yan.preferences.split('/').pop();
    await app.http().post(`/api/consent/renew/${preferencesToken}`).expect(400);
    expect(await eventCount()).toBe(before);
  });
});

describe('I4: silence', () => {
  it('no purge before the request has stood repermissionDays', async () => {
    await retention().purgeProspects(new Date(NOW.getTime() + 30 * DAY));
    expect((await subjectRow(people.zoe)).email).toBe('zoe@example.fr');
  });

  it('then the grant expires for inactivity and the data goes; the answered, the German and the customer stay', async () => {
    await retention().purgeProspects(new Date(NOW.getTime() + 32 * DAY));
    expect(await subjectRow(people.zoe)).toEqual(
      expect.objectContaining({ ...ERASED_IDENTIFIERS, erased_at: expect.anything() })
    );
    const expired = (await eventsOf(people.zoe)).filter((e: { action: string }) => e.action === 'expired');
    expect(expired).toHaveLength(1);
    expect(evidenceOf(expired[0])).toMatchObject({ reason: 'inactivity' });
    // Nobody could mail ola (no address): purged at the end of the three years.
    expect((await subjectRow(people.ola)).phone).toBeNull();
    expect((await subjectRow(people.yan)).email).toBe('yan@example.fr');
    expect((await subjectRow(people.kim)).email).toBe('kim@example.fr');
    expect((await subjectRow(people.dirk)).email).toBe('dirk@example.de');
    expect((await subjectRow(people.cas)).email).toBe('cas@example.fr');
    // Eve's contract ended more than three years ago: she and its reference are gone; Cas's runs and stays.
    expect((await subjectRow(people.eve)).phone).toBeNull();
    expect(await knex()(TABLE.relationship).where({ subject: people.eve })).toEqual([]);
    expect(await knex()(TABLE.relationship).where({ subject: people.cas })).toHaveLength(1);
  });

  it('a late answer after the purge leads nowhere (410), and writes nothing', async () => {
    const zoe = linksOf(await smtp.waitFor((m) => m.to.includes('zoe@example.fr')));
    const before = await eventCount();
    const page = await app.http().post(zoe.renew).set('Accept', 'text/html').expect(410);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('This link has expired');
    expect(await eventCount()).toBe(before);
  });

  it('A11: a grant whose notice changed materially since is not renewed: going on is not agreeing to the new text', async () => {
    const kim = linksOf(await smtp.waitFor((m) => m.to.includes('kim@example.fr')));
    await publishNotice(app.strapi, 'partners', 'en', 'About partners (now with more partners)', {
      body: 'We share your email address with our partners.',
      recipients: ['Partner GmbH', 'Other Partner SA'],
      material: true,
    });
    // The page offers nothing the button would not do.
    expect((await app.http().get(kim.renew).expect(200)).body.data).toEqual({
      language: 'en',
      purposes: [],
      renewable: false,
    });
    const before = await eventCount();
    const res = await app.http().post(kim.renew).expect(200);
    expect(res.body.data).toEqual({ status: 'nothing-to-renew', purposes: [] });
    expect(await eventCount()).toBe(before);
    expect(
      await consent().service('eligibility').check('partners', 'email', { email: 'kim@example.fr' })
    ).toMatchObject({
      eligible: false,
      reasons: ['re-consent-required'],
    });
  });

  it('the chain verifies and every state equals a replay of the ledger', async () => {
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
    for (const pseudonym of Object.values(people)) await expectStatesEqualReplay(app.strapi, pseudonym);
  });
});
