/**
 * The form hook `plugin::consent.capture` (spec 5) on the playground's own `POST /api/contact-requests`,
 * and consent events on Strapi's event hub and as webhooks (D7): the entry and its consent events are
 * written together and linked, or neither is.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let notices: Record<string, { version: number; hash: string }>;

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(
    await setupForm(app.strapi, ['newsletter', 'partners'], {
      key: 'contact',
      allowedOrigins: ['https://shop.example'],
    })
  );
});
afterAll(() => app?.stop());

const entries = async () => app.strapi.db.connection('contact_requests').select('*');
const post = (body: Record<string, unknown>) =>
  app.http().post('/api/contact-requests').set('Origin', 'https://shop.example').send(body);
const data = { name: 'Ada', email: 'ada@example.com', message: 'Please call me back.' };

describe('spec 5: plugin::consent.capture', () => {
  it('creates the entry and records the consent, linked to the entry', async () => {
    const res = await post({
      data,
      consent: { subject: { email: 'ada@example.com' }, choices: { newsletter: true }, notices },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Ada', documentId: expect.any(String) });
    expect(res.body.data).not.toHaveProperty('consent');
    expect(res.body.meta.consent.states).toEqual({ newsletter: 'granted', partners: 'refused' });
    const receiptId = res.body.meta.consent.receipt.receiptId;
    expect(res.body.meta.consent.receipt.collectionMethod).toBe('web-form-hook');

    const events = await app.strapi.db.query('plugin::consent.consent-event').findMany({ where: { receiptId } });
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event.evidence).toEqual({
        entry: {
          handler: 'api::contact-request.contact-request.create',
          documentId: res.body.data.documentId,
          id: res.body.data.id,
        },
      });
      expect(event.formKey).toBe('contact');
    }
  });

  it('invalid consent (A1: "yes" is not a tick) → 400 naming the field, and the route never runs', async () => {
    const before = { ...(await rowCounts(app.strapi)), entries: (await entries()).length };
    const res = await post({
      data,
      consent: { subject: { email: 'ada@example.com' }, choices: { newsletter: 'yes' }, notices },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['consent', 'choices', 'newsletter']);
    expect({ ...(await rowCounts(app.strapi)), entries: (await entries()).length }).toEqual(before);
  });

  it('a missing consent part → 400', async () => {
    const res = await post({ data });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/consent is required/);
  });

  it('a notice hash that no published version has → 400 and nothing is created', async () => {
    const before = (await entries()).length;
    const res = await post({
      data,
      consent: {
        subject: { email: 'ada@example.com' },
        choices: { newsletter: true },
        notices: { newsletter: { version: 1, hash: 'a'.repeat(64) } },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['consent', 'notices', 'newsletter']);
    expect((await entries()).length).toBe(before);
  });

  it('when the route fails (invalid entry), no consent is written', async () => {
    const before = { ...(await rowCounts(app.strapi)), entries: (await entries()).length };
    const res = await post({
      data: { name: 'Ada' }, // message and email are required by the content type
      consent: { subject: { email: 'eve@example.com' }, choices: { newsletter: true }, notices },
    });
    expect(res.status).toBe(400);
    expect({ ...(await rowCounts(app.strapi)), entries: (await entries()).length }).toEqual(before);
  });
});

describe('consent.submission: the form hook settles as the public route does', () => {
  it('emits the same consent.submission event as POST /api/consent/submissions, once committed, and none for a failed route', async () => {
    const heard: Record<string, any>[] = [];
    const listener = async (payload: Record<string, any>) => {
      heard.push(payload);
    };
    app.strapi.eventHub.on('consent.submission', listener);
    try {
      const consent = (email: string) => ({
        subject: { email },
        choices: { newsletter: true },
        notices,
        fields: { topic: 'callback' },
      });
      const hooked = await post({ data, consent: consent('hook@example.com') });
      expect(hooked.status).toBe(201);
      const failed = await post({ data: { name: 'x' }, consent: consent('failed-hook@example.com') });
      expect(failed.status).toBe(400);
      const routed = await app
        .http()
        .post('/api/consent/submissions')
        .set('Origin', 'https://shop.example')
        .send({ form: 'contact', ...consent('route@example.com') });
      expect(routed.status).toBe(201);

      expect(heard.map((h) => h.subject.email)).toEqual(['hook@example.com', 'route@example.com']);
      const [fromHook, fromRoute] = heard;
      expect(Object.keys(fromHook).sort()).toEqual(Object.keys(fromRoute).sort());
      expect(fromHook).toEqual({
        form: 'contact',
        subject: { id: expect.any(String), email: 'hook@example.com' },
        receipt: hooked.body.meta.consent.receipt,
        states: { newsletter: 'granted', partners: 'refused' },
        fields: { topic: 'callback' },
      });
      expect(fromHook.receipt.collectionMethod).toBe('web-form-hook');
      expect(fromRoute).toMatchObject({
        form: 'contact',
        subject: { id: expect.any(String), email: 'route@example.com' },
        receipt: routed.body.data.receipt,
        states: { newsletter: 'granted', partners: 'refused' },
        fields: { topic: 'callback' },
      });
    } finally {
      app.strapi.eventHub.off('consent.submission', listener);
    }
  });
});

describe('D7: consent events on the event hub and as Strapi webhooks', () => {
  let server: Server;
  const received: { event: string; consent: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('a webhook subscribed to consent.granted in the admin API receives committed grants with the address', async () => {
    const admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const created = await admin.post('/admin/webhooks').send({
      name: 'crm',
      url,
      headers: {},
      events: ['consent.granted', 'consent.withdrawn'],
    });
    expect(created.body).toMatchObject({ data: { id: expect.anything() } });

    const hub: string[] = [];
    const listener = async (payload: { consent: { action: string } }) => {
      hub.push(payload.consent.action);
    };
    app.strapi.eventHub.on('consent.granted', listener);
    app.strapi.eventHub.on('consent.refused', listener);

    await post({ data, consent: { subject: { email: 'grace@example.com' }, choices: { newsletter: true }, notices } });
    // A failed route emits nothing: its events were never committed.
    await post({
      data: { name: 'x' },
      consent: { subject: { email: 'mallory@example.com' }, choices: { newsletter: true }, notices },
    });

    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      event: 'consent.granted',
      consent: {
        purpose: 'newsletter',
        channel: 'email',
        state: 'granted',
        method: 'form',
        subject: { id: expect.any(String), email: 'grace@example.com' },
      },
    });
    expect(hub.sort()).toEqual(['granted', 'refused']);
    app.strapi.eventHub.off('consent.granted', listener);
    app.strapi.eventHub.off('consent.refused', listener);
  });

  it('every ledger action is a registered webhook event', () => {
    const allowed = [...app.strapi.get('webhookStore').allowedEvents.values()];
    expect(allowed).toEqual(
      expect.arrayContaining(
        ['granted', 'refused', 'requested', 'confirmed', 'withdrawn', 'objected', 'expired', 'revoked'].map(
          (a) => `consent.${a}`
        )
      )
    );
  });
});
