/**
 * I4, D10: the re-permission request goes through the messages service (issue 16 part 3): one message per
 * purpose and language per night, each person their own mail per purpose, in their language, with the
 * one-click headers, the opt-out link and a renew link for that purpose only; the `contacted` event the
 * worker records carries the re-permission evidence and the message's id. Real SMTP listener, real worker.
 */
import { monthsBefore } from '../../server/src/domain/retention-rules';
import { ERASED_IDENTIFIERS, setupForm } from '../harness/consent-setup';
import { startChildInstance } from '../harness/child-instance';
import { expectStatesEqualReplay, replayThenStop } from '../harness/ledger-replay';
import { repermissionKit } from '../harness/repermission';
import { startSmtp, type ReceivedMail, type SmtpListener } from '../harness/smtp';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let smtp: SmtpListener;
const DAY = 86_400_000;
const NOW = new Date();
const PUBLIC_URL = 'https://consent.example';

const consent = () => app.strapi.plugin('consent');
const retention = () => consent().service('retention');
const messages = () => consent().service('messages');
const { subjectRow, eventsOf, evidenceOf, eventCount, requestsOf, subscriber, settled } = repermissionKit(
  () => app.strapi
);
const header = (mail: ReceivedMail, name: string) =>
  mail.headerLines
    .filter((h) => h.key === name)
    .map((h) =>
      h.line
        .slice(h.line.indexOf(':') + 1)
        .replace(/\r?\n\s+/g, ' ')
        .trim()
    );
const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email));
// The three years of someone whose last own act was `since` end 36 months later.
const endingIn = (days: number) => new Date(monthsBefore(NOW, 36).getTime() + days * DAY);

const renewPath = (mail: ReceivedMail) => {
  const match = /https:\/\/consent\.example(\/api\/consent\/renew\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no renew link in: ${mail.text}`);
  return match[1];
};

const people: Record<string, string> = {};

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({
    env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) },
    pluginConfig: { publicUrl: PUBLIC_URL, email: { unsubscribeMailto: 'unsubscribe@shop.example', templates: {} } },
  });
  await setupForm(app.strapi, ['newsletter', 'partners', 'sms', 'service']);
  await consent()
    .service('purposes')
    .update('newsletter', { translations: { de: { name: 'Unser Newsletter' } } });
  await consent()
    .service('purposes')
    .update('partners', { translations: { de: { name: 'Angebote der Partner' } } });
  // Under the French rule, writing German: two purposes, two requests.
  people.lena = await subscriber({ email: 'lena@example.fr' }, endingIn(10), {
    purposes: ['newsletter', 'partners'],
    language: 'de',
  });
  // Silent: her data goes once the request has stood unanswered.
  people.otto = await subscriber({ email: 'otto@example.fr' }, endingIn(15), {
    purposes: ['newsletter'],
    language: 'en',
  });
});
afterAll(async () => {
  await replayThenStop(app);
  await smtp?.stop();
});

describe('I4, D10: the re-permission request is a message of the messages service', () => {
  it('I4: a mail that fails records nothing, and nobody is purged unasked', async () => {
    const port = smtp.port;
    await smtp.stop();
    const before = await eventCount();
    const run = await retention().requestRepermission(NOW);
    // One message per purpose and language: newsletter in German and in English, partners in German.
    expect(run.requested).toBe(3);
    expect(run.messages).toHaveLength(3);
    const jobs = await settled(run.messages);
    expect(jobs.map((j) => j.counts.sent)).toEqual([0, 0, 0]);
    expect(jobs.reduce((n, j) => n + j.counts.failed, 0)).toBe(3);
    expect(await eventCount()).toBe(before);
    await retention().purgeProspects(new Date(NOW.getTime() + 60 * DAY));
    expect((await subjectRow(people.lena)).email).toBe('lena@example.fr');
    expect((await subjectRow(people.otto)).email).toBe('otto@example.fr');
    smtp = await startSmtp(port);
  });

  it('I4: the next night asks again; someone still queued is not queued a second time', async () => {
    // The worker is held, as if every instance were busy: the requests wait in the queue.
    await messages().stop();
    const run = await retention().requestRepermission(new Date(NOW.getTime() + DAY));
    expect(run.requested).toBe(3);
    expect(await retention().requestRepermission(new Date(NOW.getTime() + 2 * DAY))).toEqual({
      requested: 0,
      messages: [],
    });
    messages().start();
    const jobs = await settled(run.messages);
    expect(jobs.reduce((n, j) => n + j.counts.sent, 0)).toBe(3);
    expect(jobs.map((j) => j.kind)).toEqual(['marketing', 'marketing', 'marketing']);
    expect(await retention().requestRepermission(new Date(NOW.getTime() + 3 * DAY))).toEqual({
      requested: 0,
      messages: [],
    });
  });

  it('D10, E1, I4: two German mails, one per purpose, each with the one-click headers, its own renew link and the opt-out link', async () => {
    const mails = mailsTo('lena@example.fr');
    expect(mails).toHaveLength(2);
    const named = new Map<string, ReceivedMail>();
    for (const mail of mails) {
      expect(mail.subject).toBe('Möchten Sie weiterhin von uns hören?');
      expect(mail.text).toContain('Wir haben lange nichts von Ihnen gehört.');
      expect(header(mail, 'list-unsubscribe')).toEqual([
        expect.stringMatching(
          /^<https:\/\/consent\.example\/api\/consent\/unsubscribe\/[A-Za-z0-9_.-]+>, <mailto:unsubscribe@shop\.example\?subject=unsubscribe>$/
        ),
      ]);
      expect(header(mail, 'list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
      expect(mail.text).toMatch(
        /Um diese Nachrichten sofort abzubestellen: https:\/\/consent\.example\/api\/consent\/unsubscribe\/[A-Za-z0-9_.-]+/
      );
      expect(mail.html).toContain('https://consent.example/api/consent/unsubscribe/');
      expect(mail.text).not.toContain('{{');
      const name = mail.text.includes('- Unser Newsletter') ? 'newsletter' : 'partners';
      named.set(name, mail);
      // The link asks about this mail's purpose only.
      const page = await app.http().get(renewPath(mail)).expect(200);
      expect(page.body.data).toEqual({
        language: 'de',
        purposes: [name === 'newsletter' ? 'Unser Newsletter' : 'Angebote der Partner'],
        renewable: true,
      });
    }
    expect([...named.keys()].sort()).toEqual(['newsletter', 'partners']);
    expect(mailsTo('otto@example.fr')).toHaveLength(1);
    expect(mailsTo('otto@example.fr')[0].subject).toBe('Do you still want to hear from us?');
  });

  it('I4: the contacted events carry the re-permission evidence and the message id, by the system', async () => {
    const requests = await requestsOf(people.lena);
    expect(requests.map((r: { purpose: string }) => r.purpose).sort()).toEqual(['newsletter', 'partners']);
    const answerBy = new Date(NOW.getTime() + DAY + 30 * DAY).toISOString();
    const ids = new Set<number>();
    for (const request of requests) {
      expect(request).toEqual(
        expect.objectContaining({ channel: 'email', method: 'api', actor: 'system', state: 'granted' })
      );
      expect(evidenceOf(request)).toEqual({
        kind: 're-permission',
        tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        answerBy,
        message: expect.any(Number),
      });
      ids.add(evidenceOf(request).message);
    }
    // Two messages: one per purpose.
    expect(ids.size).toBe(2);
    const partners = requests.find((r: { purpose: string }) => r.purpose === 'partners');
    const job = await messages().find(evidenceOf(partners).message);
    expect(job).toMatchObject({ purpose: 'partners', status: 'done', counts: { sent: 1 } });
  });

  it('I4: answering one mail renews that purpose only', async () => {
    const partners = mailsTo('lena@example.fr').find((m) => m.text.includes('- Angebote der Partner'))!;
    const res = await app.http().post(renewPath(partners)).expect(200);
    expect(res.body.data).toEqual({ status: 'renewed', purposes: ['Angebote der Partner'] });
    const confirmed = (await eventsOf(people.lena)).filter((e: { action: string }) => e.action === 'confirmed');
    expect(confirmed).toEqual([
      expect.objectContaining({ purpose: 'partners', channel: 'email', method: 'link', actor: 'subject' }),
    ]);
    expect(evidenceOf(confirmed[0])).toMatchObject({
      kind: 're-permission',
      tokenHash: evidenceOf((await requestsOf(people.lena)).find((r: { purpose: string }) => r.purpose === 'partners'))
        .tokenHash,
    });
  });

  it('I4: the purge waits for the deadline, then takes the silent; the one who answered stays', async () => {
    const sentAt = new Date((await requestsOf(people.otto))[0].occurred_at);
    await retention().purgeProspects(new Date(sentAt.getTime() + 29 * DAY));
    expect((await subjectRow(people.otto)).email).toBe('otto@example.fr');
    await retention().purgeProspects(new Date(sentAt.getTime() + 31 * DAY));
    expect(await subjectRow(people.otto)).toEqual(
      expect.objectContaining({ ...ERASED_IDENTIFIERS, erased_at: expect.anything() })
    );
    expect((await subjectRow(people.lena)).email).toBe('lena@example.fr');
  });

  it('I4: asked about one purpose only (the other mail failed), a person is due for the other and not purged meanwhile', async () => {
    people.mia = await subscriber({ email: 'mia@example.fr' }, endingIn(5), {
      purposes: ['newsletter', 'partners'],
      language: 'en',
    });
    // As the worker records a request that went out: the newsletter's only.
    await consent()
      .service('ledger')
      .append([
        {
          subject: people.mia,
          purpose: 'newsletter',
          channel: 'email',
          action: 'contacted',
          state: 'granted',
          method: 'api',
          legalBasis: 'consent',
          actor: 'system',
          evidence: {
            kind: 're-permission',
            tokenHash: 'f'.repeat(64),
            answerBy: new Date(NOW.getTime() + 40 * DAY).toISOString(),
            message: 0,
          },
          occurredAt: new Date(NOW.getTime() + 10 * DAY),
        },
      ]);
    await retention().purgeProspects(new Date(NOW.getTime() + 60 * DAY));
    expect((await subjectRow(people.mia)).email).toBe('mia@example.fr');
    const run = await retention().requestRepermission(new Date(NOW.getTime() + 11 * DAY));
    expect(run).toEqual({ requested: 1, messages: [expect.any(Number)] });
    const [job] = await settled(run.messages);
    expect(job).toMatchObject({ purpose: 'partners', counts: { sent: 1 } });
    expect(mailsTo('mia@example.fr')).toHaveLength(1);
    expect((await requestsOf(people.mia)).map((r: { purpose: string }) => r.purpose)).toEqual([
      'newsletter',
      'partners',
    ]);
  });

  it('I4: two runs of one night at once (two instances, and twice on one) queue each person once per purpose', async () => {
    // Due tonight, never asked: a clean night for them.
    people.noah = await subscriber({ email: 'noah@example.fr' }, endingIn(20), {
      purposes: ['newsletter', 'partners'],
      language: 'de',
    });
    people.ines = await subscriber({ email: 'ines@example.fr' }, endingIn(20), {
      purposes: ['newsletter'],
      language: 'en',
    });
    people.lea = await subscriber({ email: 'lea@example.fr' }, endingIn(20), {
      purposes: ['newsletter'],
      language: 'en',
    });
    smtp.mails.length = 0;
    const second = await startChildInstance(app.database, {
      env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) },
      pluginConfig: { publicUrl: PUBLIC_URL, email: { unsubscribeMailto: 'unsubscribe@shop.example', templates: {} } },
    });
    let runs: { requested: number; messages: number[] }[];
    try {
      // The default night (now): the child's clock and ours agree on the day.
      const [[there], ...here] = await Promise.all([
        second.results<{ requested: number; messages: number[] }>('retention', 'requestRepermission', [[]]),
        retention().requestRepermission(),
        retention().requestRepermission(),
      ]);
      runs = [there, ...here];
      await settled(runs.flatMap((r) => r.messages));
    } finally {
      await second.stop();
    }
    // noah: newsletter and partners (German); ines and lea: newsletter (English). Four requests, once each.
    expect(runs.reduce((n, r) => n + r.requested, 0)).toBe(4);
    const jobs = await Promise.all(runs.flatMap((r) => r.messages).map((id) => messages().find(id)));
    const rows = jobs.flatMap((j) => j.recipients.map((r: { email: string }) => `${j.purpose}|${r.email}`));
    expect(rows.sort()).toEqual([
      'newsletter|ines@example.fr',
      'newsletter|lea@example.fr',
      'newsletter|noah@example.fr',
      'partners|noah@example.fr',
    ]);
    expect(mailsTo('noah@example.fr')).toHaveLength(2);
    expect(mailsTo('ines@example.fr')).toHaveLength(1);
    expect(mailsTo('lea@example.fr')).toHaveLength(1);
    for (const who of [people.noah, people.ines, people.lea]) {
      const purposes = (await requestsOf(who)).map((r: { purpose: string }) => r.purpose).sort();
      expect(purposes).toEqual(who === people.noah ? ['newsletter', 'partners'] : ['newsletter']);
    }
  });

  it('the chain verifies and every state equals a replay of the ledger', async () => {
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
    for (const pseudonym of Object.values(people)) await expectStatesEqualReplay(app.strapi, pseudonym);
  });
});
