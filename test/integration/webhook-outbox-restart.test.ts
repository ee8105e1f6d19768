/**
 * The webhook outbox across a restart (D6, D7): a delivery still pending when Strapi shuts down, here
 * because the receiver hangs, is let go at destroy without waiting for the POST's timeout, and posted
 * after the next boot on the same database, under the same delivery id.
 */
import { verifySignature } from '../../server/src/domain/webhook-signature';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { setupForm, shownNotices, submitConsent } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { startReceiver, type Receiver } from '../harness/webhook-receiver';
import type { TestDatabase } from '../harness/database';

const SIGNING_SECRET = 'receiver-signing-secret-0123456789abcdef';
// A POST timeout far beyond the test's own: shutting down must not wait for it.
const webhooks = {
  signingSecret: SIGNING_SECRET,
  baseDelayMs: 20,
  maxDelayMs: 100,
  pollIntervalMs: 50,
  timeoutMs: 60_000,
};

let receiver: Receiver;
let database: TestDatabase | undefined;
let app: TestStrapi | undefined;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await app?.stop();
  await database?.drop();
  await receiver?.close();
});

it('D7: a delivery pending at shutdown is delivered after the next boot on the same database', async () => {
  // The receiver takes the first request and never answers it.
  receiver.setResponder((hook, res) => {
    if (receiver.at('/slow').length > 1) res.end('ok');
  });
  app = await bootStrapi({ pluginConfig: { webhooks } });
  database = app.database;
  const notices = shownNotices(await setupForm(app.strapi, ['newsletter']));
  const admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  await admin
    .post('/admin/webhooks', { name: 'slow', url: receiver.url('/slow'), headers: {}, events: ['consent.granted'] })
    .expect(201);
  await submitConsent(app, { email: 'ada@example.com' }, { newsletter: true }, notices);
  await receiver.until('/slow', 1);

  await app.stop({ keepDatabase: true });
  app = undefined;

  app = await bootStrapi({ database, pluginConfig: { webhooks } });
  await receiver.until('/slow', 2);
  const [first, second] = receiver.at('/slow');
  expect(second.headers['x-consent-delivery']).toBe(first.headers['x-consent-delivery']);
  expect(second.body.consent).toEqual(first.body.consent);
  expect(verifySignature(second.headers['x-consent-signature'] as string, SIGNING_SECRET, second.raw)).toBe(true);
  // The cut-off attempt was not the receiver's failure: this one is the first counted.
  expect(second.headers['x-consent-attempt']).toBe('1');
  for (;;) {
    const [row] = await app.strapi.db.connection('consent_webhook_deliveries').select('*');
    if (row.status === 'delivered') {
      expect(Number(row.attempts)).toBe(1);
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
});
