/**
 * Retention of what sending leaves behind (cron tasks `consent:message-retention` and
 * `consent:webhook-delivery-retention`; cron is off in tests, so the service methods are called with the
 * instant to judge at): a send finished more than `retention.messageAddressDays` ago loses its recipients'
 * addresses and placeholders but keeps each outcome, reason code and count; delivered webhook deliveries go
 * after `retention.webhookDeliveredDays`, failed ones after `retention.webhookFailedDays`, pending ones never.
 */
import { TABLE } from '../../server/src/constants';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { setupForm, shownNotices, submitConsent } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { startSmtp, type SmtpListener } from '../harness/smtp';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { startReceiver, type Receiver } from '../harness/webhook-receiver';

let app: TestStrapi;
let smtp: SmtpListener;
let receiver: Receiver;
const DAY = 86_400_000;

const consent = () => app.strapi.plugin('consent');
const messages = () => consent().service('messages');
const outbox = () => consent().service('webhook-outbox');
const knex = () => app.strapi.db.connection;
const deliveries = () => knex()(TABLE.webhookDelivery).select('*').orderBy('id');

const TEMPLATE = {
  subject: 'News',
  html: '<p>Hi</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
  text: 'Hi\nUnsubscribe: {{unsubscribeUrl}}',
};

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startReceiver();
  receiver.setResponder((hook, res) => {
    res.statusCode = hook.path === '/down' ? 500 : 200;
    res.end('');
  });
  app = await bootStrapi({
    env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) },
    pluginConfig: {
      publicUrl: 'https://consent.example',
      email: { templates: {} },
      // One attempt: a 500 is failed at once.
      webhooks: {
        signingSecret: 'receiver-signing-secret-0123456789abcdef',
        maxAttempts: 1,
        baseDelayMs: 20,
        maxDelayMs: 100,
        pollIntervalMs: 50,
        timeoutMs: 5_000,
      },
    },
  });
  const notices = shownNotices(await setupForm(app.strapi, ['newsletter']));
  const admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  for (const name of ['up', 'down'])
    await admin
      .post('/admin/webhooks', { name, url: receiver.url(`/${name}`), headers: {}, events: ['consent.granted'] })
      .expect(201);
  for (const who of ['ada', 'bob', 'cyd'])
    await submitConsent(app, { email: `${who}@example.com` }, { newsletter: true }, notices);
  // Three delivered to `up`, three failed on `down`.
  for (;;) {
    const rows = await deliveries();
    if (rows.length === 6 && rows.every((r: { status: string }) => r.status !== 'pending')) break;
    await new Promise((r) => setTimeout(r, 25));
  }
});
afterAll(async () => {
  await replayThenStop(app);
  await smtp?.stop();
  await receiver?.close();
});

describe('Sends keep their recipients’ addresses retention.messageAddressDays after they finished', () => {
  const send = async (emails: string[]) => {
    const id = await messages().enqueue(
      {
        purpose: 'newsletter',
        channel: 'email',
        recipients: emails.map((email) => ({ email, placeholders: { name: email.split('@')[0] } })),
        template: TEMPLATE,
      },
      'api-token:test'
    );
    await messages().wake();
    return id as number;
  };

  it('clears the addresses (and placeholders) of sends finished long enough ago; outcomes, reasons and counts stay', async () => {
    // ada and bob subscribed; nobody@ is unknown (skipped with its reason codes).
    const old = await send(['ada@example.com', 'bob@example.com', 'nobody@example.com']);
    const recent = await send(['cyd@example.com']);
    const before = await messages().find(old);
    expect(before.counts).toMatchObject({ total: 3, sent: 2, skipped: 1 });
    const now = new Date();
    await knex()(TABLE.message)
      .where({ id: old })
      .update({ finished_at: new Date(now.getTime() - 31 * DAY) });
    await knex()(TABLE.message)
      .where({ id: recent })
      .update({ finished_at: new Date(now.getTime() - 29 * DAY) });

    expect(await messages().clearAddresses(now)).toEqual({ messages: 1, recipients: 3 });
    const after = await messages().find(old);
    expect(after.status).toBe('done');
    expect(after.counts).toEqual(before.counts);
    expect(after.recipients).toEqual(before.recipients.map((r: object) => ({ ...r, email: null })));
    const rows = await knex()(TABLE.messageRecipient).where({ message: old });
    for (const r of rows) expect([r.email, r.placeholders]).toEqual([null, null]);
    // The proof stays: the sent rows keep their pseudonym, the skipped one its reasons.
    expect(rows.filter((r: { subject: string | null }) => r.subject).length).toBe(2);
    // The recent send keeps its address; a second night finds nothing to do.
    expect((await messages().find(recent)).recipients[0].email).toBe('cyd@example.com');
    expect(await messages().clearAddresses(now)).toEqual({ messages: 0, recipients: 0 });
    // Its time comes.
    expect(await messages().clearAddresses(new Date(now.getTime() + 2 * DAY))).toEqual({
      messages: 1,
      recipients: 1,
    });
  });

  it('null keeps the addresses until erasure; a send still running is never cleared', async () => {
    const id = await send(['ada@example.com']);
    const far = new Date(Date.now() + 3650 * DAY);
    app.strapi.config.set('plugin::consent.retention.messageAddressDays', null);
    try {
      expect(await messages().clearAddresses(far)).toEqual({ messages: 0, recipients: 0 });
    } finally {
      app.strapi.config.set('plugin::consent.retention.messageAddressDays', 30);
    }
    await knex()(TABLE.message).where({ id }).update({ status: 'sending' });
    expect(await messages().clearAddresses(far)).toEqual({ messages: 0, recipients: 0 });
    expect((await messages().find(id)).recipients[0].email).toBe('ada@example.com');
    await knex()(TABLE.message).where({ id }).update({ status: 'done' });
  });
});

describe('The webhook outbox: delivered rows after retention.webhookDeliveredDays, failed ones after webhookFailedDays', () => {
  it('deletes only what is past its bound; pending rows stay whatever their age', async () => {
    const now = new Date();
    const rows = await deliveries();
    const delivered = rows.filter((r: { status: string }) => r.status === 'delivered').map((r: { id: number }) => r.id);
    const failed = rows.filter((r: { status: string }) => r.status === 'failed').map((r: { id: number }) => r.id);
    expect([delivered.length, failed.length]).toEqual([3, 3]);
    const age = (id: number, column: string, days: number) =>
      knex()(TABLE.webhookDelivery)
        .where({ id })
        .update({ [column]: new Date(now.getTime() - days * DAY) });
    // Delivered: 8 days ago (gone), 8 days ago (gone), 6 days ago (kept).
    await age(delivered[0], 'delivered_at', 8);
    await age(delivered[1], 'delivered_at', 8);
    await age(delivered[2], 'delivered_at', 6);
    // Failed: last touched 91 days ago (gone), 60 days ago (kept, an admin may still retry).
    await age(failed[0], 'updated_at', 91);
    await age(failed[1], 'updated_at', 60);
    // Pending (a retry waiting its turn), however old: kept.
    await knex()(TABLE.webhookDelivery)
      .where({ id: failed[2] })
      .update({ status: 'pending', next_attempt_at: new Date(now.getTime() + 365 * DAY), updated_at: new Date(0) });

    expect(await outbox().purge(now)).toEqual({ delivered: 2, failed: 1 });
    expect((await deliveries()).map((r: { id: number }) => r.id)).toEqual(
      [delivered[2], failed[1], failed[2]].sort((a, b) => a - b)
    );
    expect(await outbox().purge(now)).toEqual({ delivered: 0, failed: 0 });

    // null keeps failed ones for ever.
    app.strapi.config.set('plugin::consent.retention.webhookFailedDays', null);
    try {
      expect(await outbox().purge(new Date(now.getTime() + 3650 * DAY))).toEqual({ delivered: 1, failed: 0 });
    } finally {
      app.strapi.config.set('plugin::consent.retention.webhookFailedDays', 90);
    }
    expect((await deliveries()).map((r: { status: string }) => r.status).sort()).toEqual(['failed', 'pending']);
  });
});
