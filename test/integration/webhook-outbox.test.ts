/**
 * Webhooks that are delivered, not fired and forgotten (D6, D7): every `consent.*` event a webhook is
 * subscribed to is written to the outbox in the ledger's transaction, posted after commit, signed, tried
 * again with backoff, and shown to admins when it fails. A real HTTP receiver in the test gets them.
 */
import { PERMISSIONS } from '../../server/src/constants';
import webhookOutbox from '../../server/src/services/webhook-outbox';
import { verifySignature } from '../../server/src/domain/webhook-signature';
import { adminApi, createAdminWithActions, createSuperAdmin } from '../harness/admin';
import { setupForm, shownNotices, submitConsent, type Notices } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { startReceiver, type Receiver } from '../harness/webhook-receiver';

const SIGNING_SECRET = 'receiver-signing-secret-0123456789abcdef';
const DELIVERIES = 'consent_webhook_deliveries';

let app: TestStrapi;
let notices: Notices;
let receiver: Receiver;
let admin: ReturnType<typeof adminApi>;

beforeAll(async () => {
  receiver = await startReceiver();
  app = await bootStrapi({
    // Tiny delays so retries happen within the test; four attempts before a delivery is given up.
    pluginConfig: {
      webhooks: { signingSecret: SIGNING_SECRET, maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100, pollIntervalMs: 50 },
    },
  });
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners']));
  admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
});
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

const deliveries = (where: Record<string, unknown> = {}) =>
  app.strapi.db.connection(DELIVERIES).select('*').where(where);

/** Waits until `check` holds (the test's timeout bounds the wait). */
const eventually = async <T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> => {
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
};

const subscribe = async (path: string, events = ['consent.granted']) => {
  const res = await admin.post('/admin/webhooks', {
    name: path,
    url: receiver.url(path),
    headers: { 'X-Site': 'shop' },
    events,
  });
  expect(res.status).toBe(201);
  return String(res.body.data.id);
};
const unsubscribe = (id: string) => admin.del(`/admin/webhooks/${id}`).expect(200);

describe('D7: a committed grant is delivered to each subscribed webhook', () => {
  it('one signed POST per event, with a delivery id, in the documented payload', async () => {
    const hook = await subscribe('/crm');
    await submitConsent(app, { email: 'ada@example.com' }, { newsletter: true, partners: false }, notices);
    await receiver.until('/crm', 1);
    const [got] = receiver.at('/crm');

    expect(verifySignature(got.headers['x-consent-signature'] as string, SIGNING_SECRET, got.raw)).toBe(true);
    expect(verifySignature(got.headers['x-consent-signature'] as string, 'another-secret', got.raw)).toBe(false);
    expect(
      verifySignature(
        got.headers['x-consent-signature'] as string,
        SIGNING_SECRET,
        got.raw.replace('granted', 'refused')
      )
    ).toBe(false);
    expect(got.headers).toMatchObject({
      'x-strapi-event': 'consent.granted',
      'x-consent-attempt': '1',
      'x-site': 'shop', // the webhook's own headers from Settings → Webhooks
      'content-type': 'application/json',
    });
    expect(got.body).toEqual({
      event: 'consent.granted',
      createdAt: expect.any(String),
      consent: expect.objectContaining({
        eventId: expect.any(String),
        purpose: 'newsletter',
        channel: 'email',
        action: 'granted',
        state: 'granted',
        method: 'form',
        legalBasis: 'consent',
        subject: { id: expect.any(String), email: 'ada@example.com' },
        notice: expect.objectContaining({ version: notices.newsletter.version, hash: notices.newsletter.hash }),
      }),
    });
    const [row] = await eventually(
      () => deliveries({ webhook_id: hook }),
      (rows) => rows[0]?.status === 'delivered'
    );
    expect(row).toMatchObject({
      delivery_id: got.headers['x-consent-delivery'],
      event_id: got.body.consent.eventId,
      status: 'delivered',
      last_status: 200,
    });
    expect(Number(row.attempts)).toBe(1);
    await unsubscribe(hook);
  });

  it("Strapi's own webhook runner does not post consent events a second time", async () => {
    const hook = await subscribe('/once');
    // The runner would listen on the event hub for each subscribed event; consent events are the outbox's.
    const runner = app.strapi.get('webhookRunner') as unknown as { listeners: Map<string, unknown> };
    expect(runner.listeners.has('consent.granted')).toBe(false);

    await submitConsent(app, { email: 'bob@example.com' }, { newsletter: true }, notices);
    await submitConsent(app, { email: 'cy@example.com' }, { newsletter: true }, notices);
    await receiver.until('/once', 2);
    await eventually(
      () => deliveries({ webhook_id: hook }),
      (rows) => rows.length === 2 && rows.every((r) => r.status === 'delivered')
    );
    // Every request came from the outbox (a runner's post has no delivery id), one per event.
    const got = receiver.at('/once');
    expect(got.map((r) => r.body.consent.subject.email).sort()).toEqual(['bob@example.com', 'cy@example.com']);
    expect(new Set(got.map((r) => r.headers['x-consent-delivery'])).size).toBe(2);
    expect(got.every((r) => r.headers['x-consent-signature'])).toBe(true);
    await unsubscribe(hook);
  });

  it('a receiver failing twice gets the event on the third attempt, same delivery id, then nothing more', async () => {
    let calls = 0;
    receiver.setResponder((hook, res) => {
      if (hook.path === '/flaky' && ++calls <= 2) {
        res.statusCode = 503;
        return res.end('busy');
      }
      res.end('ok');
    });
    const hook = await subscribe('/flaky');
    await submitConsent(app, { email: 'dee@example.com' }, { newsletter: true }, notices);
    const [row] = await eventually(
      () => deliveries({ webhook_id: hook }),
      (rows) => rows[0]?.status === 'delivered'
    );
    expect(Number(row.attempts)).toBe(3);
    const got = receiver.at('/flaky');
    expect(got.map((r) => r.headers['x-consent-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(got.map((r) => r.headers['x-consent-delivery']))).toEqual(new Set([row.delivery_id]));
    expect(got.every((r) => verifySignature(r.headers['x-consent-signature'] as string, SIGNING_SECRET, r.raw))).toBe(
      true
    );
    receiver.setResponder((_, res) => res.end('ok'));
    await unsubscribe(hook);
  });

  it('two workers on one database (as two instances) post each delivery once', async () => {
    // A second worker over the same database, as another Strapi instance runs: both claim due rows.
    const second = webhookOutbox({ strapi: app.strapi });
    second.start();
    try {
      const hook = await subscribe('/shared');
      const people = Array.from({ length: 12 }, (_, i) => `shared${i}@example.com`);
      await Promise.all(people.map((email) => submitConsent(app, { email }, { newsletter: true }, notices)));
      await eventually(
        () => deliveries({ webhook_id: hook }),
        (rows) => rows.length === 12 && rows.every((r) => r.status === 'delivered')
      );
      const got = receiver.at('/shared');
      expect(got.map((r) => r.body.consent.subject.email).sort()).toEqual([...people].sort());
      expect(new Set(got.map((r) => r.headers['x-consent-delivery'])).size).toBe(12);
      await unsubscribe(hook);
    } finally {
      await second.stop();
    }
  });

  it('only the events a webhook is subscribed to, and none for a disabled webhook', async () => {
    const withdrawals = await subscribe('/withdrawals', ['consent.withdrawn']);
    const off = await subscribe('/off');
    const { name, url, headers, events } = (await admin.get(`/admin/webhooks/${off}`)).body.data;
    await admin.put(`/admin/webhooks/${off}`, { name, url, headers, events, isEnabled: false }).expect(200);
    await submitConsent(app, { email: 'eve@example.com' }, { newsletter: true }, notices);
    await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'eve@example.com' }, purposes: ['newsletter'] })
      .expect(202);
    await receiver.until('/withdrawals', 1);
    expect(receiver.at('/withdrawals').map((r) => r.body.event)).toEqual(['consent.withdrawn']);
    expect(await deliveries({ webhook_id: off })).toEqual([]);
    await unsubscribe(withdrawals);
    await unsubscribe(off);
  });
});

describe('D7: the outbox row is written in the ledger event’s transaction', () => {
  it('an event rolled back leaves no delivery; a committed one has exactly its deliveries', async () => {
    const hook = await subscribe('/tx');
    const ledger = app.strapi.plugin('consent').service('ledger');
    const event = {
      subject: 'pseudonym-tx',
      actor: 'test',
      purpose: 'newsletter',
      channel: 'email',
      action: 'granted',
      state: 'granted',
      method: 'api',
      legalBasis: 'consent',
    };
    const before = await deliveries({ webhook_id: hook });
    await expect(
      app.strapi.db.transaction(async ({ trx }) => {
        await ledger.append([event]);
        // The ledger wrote the event and the outbox its row: both go with the rollback.
        expect((await app.strapi.db.connection(DELIVERIES).transacting(trx).where({ webhook_id: hook })).length).toBe(
          before.length + 1
        );
        throw new Error('rolled back');
      })
    ).rejects.toThrow('rolled back');
    expect(await deliveries({ webhook_id: hook })).toEqual(before);
    expect(await app.strapi.db.connection('consent_events').where({ subject: 'pseudonym-tx' })).toEqual([]);

    const [stored] = await ledger.append([event]);
    const rows = await eventually(
      () => deliveries({ webhook_id: hook }),
      (r) => r[0]?.status === 'delivered'
    );
    expect(rows.map((r) => r.event_id)).toEqual([stored.eventId]);
    await unsubscribe(hook);
  });
});

describe('D7: failures in the admin, and retrying one (RBAC)', () => {
  let hook: string;
  let failed: { id: number; deliveryId: string };

  beforeAll(async () => {
    receiver.setResponder((h, res) => {
      res.statusCode = h.path === '/down' ? 500 : 200;
      res.end(h.path === '/down' ? 'receiver exploded' : 'ok');
    });
    hook = await subscribe('/down');
    await submitConsent(app, { email: 'fay@example.com' }, { newsletter: true }, notices);
    await eventually(
      () => deliveries({ webhook_id: hook }),
      (rows) => rows[0]?.status === 'failed'
    );
  });
  afterAll(() => receiver.setResponder((_, res) => res.end('ok')));

  it('a delivery given up after webhooks.maxAttempts is listed with its last error and attempts', async () => {
    expect(receiver.at('/down')).toHaveLength(4);
    const res = await admin.get('/consent/webhook-deliveries');
    expect(res.status).toBe(200);
    const mine = res.body.data.deliveries.filter((d: { webhookId: string }) => d.webhookId === hook);
    expect(mine).toEqual([
      expect.objectContaining({
        webhookName: '/down',
        event: 'consent.granted',
        status: 'failed',
        attempts: 4,
        lastStatus: 500,
        lastError: 'HTTP 500: receiver exploded',
        nextAttemptAt: null,
        deliveredAt: null,
      }),
    ]);
    expect(res.body.data.counts.failed).toBeGreaterThanOrEqual(1);
    failed = mine[0];
    // The delivered ones are not in the default (failing) view but can be asked for.
    expect(res.body.data.deliveries.every((d: { status: string }) => d.status !== 'delivered')).toBe(true);
    const done = await admin.get('/consent/webhook-deliveries?status=delivered&limit=5');
    expect(done.body.data.deliveries.length).toBeGreaterThan(0);
    expect(done.body.data.deliveries.every((d: { status: string }) => d.status === 'delivered')).toBe(true);
  });

  it('bad queries and ids are a 400 naming the field; an unknown id 404', async () => {
    const status = await admin.get('/consent/webhook-deliveries?status=lost');
    expect(status.status).toBe(400);
    expect(status.body.error.details.errors[0].path).toEqual(['status']);
    const limit = await admin.get('/consent/webhook-deliveries?limit=5000');
    expect(limit.status).toBe(400);
    expect(limit.body.error.details.errors[0].path).toEqual(['limit']);
    expect((await admin.get('/consent/webhook-deliveries?order=x')).status).toBe(400);
    expect((await admin.post('/consent/webhook-deliveries/abc/retry')).status).toBe(400);
    expect((await admin.post('/consent/webhook-deliveries/999999/retry')).status).toBe(404);
  });

  it('RBAC: reading needs webhook-deliveries.read, retrying webhook-deliveries.retry', async () => {
    const all = Object.values(PERMISSIONS).map((a) => `plugin::consent.${a}`);
    const noRead = adminApi(
      app.strapi,
      await createAdminWithActions(
        app.strapi,
        'no-deliveries@consent.test',
        all.filter((a) => !a.endsWith('webhook-deliveries.read'))
      )
    );
    expect((await noRead.get('/consent/webhook-deliveries')).status).toBe(403);
    const reader = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'deliveries-reader@consent.test', [
        'plugin::consent.webhook-deliveries.read',
      ])
    );
    expect((await reader.get('/consent/webhook-deliveries')).status).toBe(200);
    expect((await reader.post(`/consent/webhook-deliveries/${failed.id}/retry`)).status).toBe(403);
    expect((await deliveries({ id: failed.id }))[0].status).toBe('failed');
  });

  it('a retry puts the failed delivery back: the fixed receiver gets it, same delivery id; retrying it again is a 409', async () => {
    const retrier = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'deliveries-retrier@consent.test', [
        'plugin::consent.webhook-deliveries.retry',
      ])
    );
    receiver.setResponder((_, res) => res.end('ok'));
    const res = await retrier.post(`/consent/webhook-deliveries/${failed.id}/retry`);
    expect(res.status).toBe(200);
    const [row] = await eventually(
      () => deliveries({ id: failed.id }),
      (rows) => rows[0]?.status === 'delivered'
    );
    expect(Number(row.attempts)).toBe(1);
    const last = receiver.at('/down').at(-1)!;
    expect(last.headers['x-consent-delivery']).toBe(failed.deliveryId);
    expect((await retrier.post(`/consent/webhook-deliveries/${failed.id}/retry`)).status).toBe(409);
    await unsubscribe(hook);
  });

  it('a delivery whose webhook was deleted fails at once with that reason', async () => {
    const gone = await subscribe('/gone');
    await app.strapi.db.transaction(async () => {
      // Held back: the row is written, then the webhook is deleted before the worker takes it.
      await app.strapi
        .plugin('consent')
        .service('ledger')
        .append([
          {
            subject: 'pseudonym-gone',
            actor: 'test',
            purpose: 'newsletter',
            channel: 'email',
            action: 'granted',
            state: 'granted',
            method: 'api',
            legalBasis: 'consent',
          },
        ]);
    });
    await unsubscribe(gone);
    const [row] = await eventually(
      () => deliveries({ webhook_id: gone }),
      (rows) => rows[0]?.status !== 'pending'
    );
    // Either delivered before the delete landed, or refused after it: never left pending.
    expect(['delivered', 'failed']).toContain(row.status);
    if (row.status === 'failed') expect(row.last_error).toBe('the webhook was deleted');
  });
});
