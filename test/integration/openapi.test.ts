/**
 * The OpenAPI description matches what the routes answer (issue 18 part 4): every public and
 * server-to-server route is called, on success and on failure, and each real answer (status, content type,
 * JSON body) is validated against the document with Ajv. An answer the document does not describe fails.
 */
import type { Response } from 'supertest';
import { createApiToken } from '../harness/api-token';
import { postSubmission, setupForm, shownNotices, type Notices } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { undescribed } from '../harness/openapi';
import { confirmationLink, startSmtp, type SmtpListener } from '../harness/smtp';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let key: string;
let notices: Notices;
let smtp: SmtpListener;

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({ env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) } });
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'doi', 'postal', 'service']));
  key = await createApiToken(app.strapi, 'openapi');
});
afterAll(async () => {
  await replayThenStop(app);
  await smtp?.stop();
});

/** Every answer is checked against the document; the status is the one the scenario expects. */
const described = (res: Response, status: number) => {
  expect({ status: res.status, problems: undescribed(res) }).toEqual({ status, problems: [] });
  return res;
};
const api = (method: 'get' | 'post' | 'put', url: string, token: string | null = key) => {
  const req = app.http()[method](url);
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
};
const submit = (email: string, choices: Record<string, boolean>) =>
  postSubmission(app, { form: 'signup', subject: { email }, choices, notices });
const path = (url: string) => new URL(url).pathname;
const tokens = () => app.strapi.plugin('consent').service('tokens');

describe('public routes answer what the OpenAPI description says', () => {
  it('the JWK set and the form definition', async () => {
    described(await app.http().get('/api/consent/jwks.json'), 200);
    described(await app.http().get('/api/consent/forms/signup?locale=de'), 200);
    described(await app.http().get('/api/consent/forms/nope'), 404);
  });

  it('submissions: recorded, invalid, outdated notice', async () => {
    described(await submit('ada@example.com', { newsletter: true, doi: true, postal: false }), 201);
    described(await submit('not-an-address', { newsletter: true }), 400);
    const stale = await postSubmission(app, {
      form: 'signup',
      subject: { email: 'bo@example.com' },
      choices: { newsletter: true },
      notices: { newsletter: { ...notices.newsletter, version: 99 } },
    });
    described(stale, stale.status === 409 ? 409 : 400);
  });

  it('double opt-in: the page, the confirmation, a resend and a forged link', async () => {
    described(await submit('cy@example.com', { doi: true }), 201);
    const confirm = confirmationLink(await smtp.waitFor((m) => m.to.includes('cy@example.com'))).path;
    described(await app.http().get(confirm).set('Accept', 'application/json'), 200);
    described(await app.http().get(confirm).set('Accept', 'text/html'), 200);
    described(await app.http().post(confirm).set('Accept', 'application/json'), 200);
    described(await app.http().post(`${confirm}/resend`).set('Accept', 'application/json'), 202);
    described(await app.http().post('/api/consent/confirm/made.up').set('Accept', 'application/json'), 400);
  });

  it("children (G1, G2): the age question, the parent's page and confirmation", async () => {
    await setupForm(app.strapi, ['newsletter'], { key: 'kids', name: 'Kids club', offeredToChildren: true });
    described(await app.http().get('/api/consent/forms/kids'), 200);
    const kid = await postSubmission(app, {
      form: 'kids',
      subject: { email: 'kid@example.com' },
      age: 12,
      parentEmail: 'mum@example.com',
      choices: { newsletter: true },
      notices: { newsletter: notices.newsletter },
    });
    described(kid, 201);
    const mail = await smtp.waitFor((m) => m.to.includes('mum@example.com'));
    const link = /\/api\/consent\/parental-consent\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(mail.text)![0];
    described(await app.http().get(link).set('Accept', 'application/json'), 200);
    described(await app.http().post(link).set('Accept', 'application/json'), 200);
    described(await app.http().post('/api/consent/parental-consent/made.up').set('Accept', 'application/json'), 400);
  });

  it('re-permission: the page and the answer', async () => {
    const pseudonym = (await submit('di@example.com', { newsletter: true })).body.data.receipt.piiPrincipalId;
    const renew = tokens().issue({
      use: 'renew',
      sub: pseudonym,
      purposes: ['newsletter'],
      ref: new Date().toISOString(),
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    described(await app.http().get(`/api/consent/renew/${renew}`).set('Accept', 'application/json'), 200);
    described(await app.http().post(`/api/consent/renew/${renew}`).set('Accept', 'application/json'), 200);
    described(await app.http().get('/api/consent/renew/made.up').set('Accept', 'application/json'), 400);
  });

  it('one-click unsubscribe, the preference centre and withdrawals', async () => {
    await submit('ed@example.com', { newsletter: true });
    const links = described(await api('get', '/api/consent/headers?purpose=newsletter&email=ed@example.com'), 200).body
      .data;
    described(await app.http().get(path(links.unsubscribeUrl)).set('Accept', 'application/json'), 200);
    described(
      await app
        .http()
        .post(path(links.unsubscribeUrl))
        .set('Accept', 'application/json')
        .type('form')
        .send('List-Unsubscribe=One-Click'),
      200
    );
    described(
      await app.http().post('/api/consent/unsubscribe/made.up').type('form').send('List-Unsubscribe=One-Click'),
      400
    );

    const preferences = path(links.preferencesUrl);
    described(await app.http().get(preferences).set('Accept', 'application/json'), 200);
    described(
      await app
        .http()
        .put(preferences)
        .send({ choices: { newsletter: true }, notices: { newsletter: notices.newsletter } }),
      200
    );
    described(await app.http().put(preferences).send({ choices: 'everything' }), 400);
    described(
      await app.http().post(preferences).set('Accept', 'text/html').type('form').send('shown[]=newsletter'),
      200
    );

    described(
      await app
        .http()
        .post('/api/consent/withdrawals')
        .send({ subject: { email: 'ed@example.com' }, purposes: 'all' }),
      202
    );
    described(await app.http().post('/api/consent/withdrawals').send({ subject: {}, purposes: [] }), 400);
  });
});

describe('server-to-server routes answer what the OpenAPI description says', () => {
  it('eligibility: one by query, one in the body, many in the body; without a token', async () => {
    await submit('fa@example.com', { newsletter: true });
    described(await api('get', '/api/consent/eligibility?purpose=newsletter&email=fa@example.com'), 200);
    described(
      await api('post', '/api/consent/eligibility').send({ purpose: 'newsletter', email: 'fa@example.com' }),
      200
    );
    described(
      await api('post', '/api/consent/eligibility').send({
        purpose: 'newsletter',
        subjects: [{ email: 'fa@example.com' }, { phone: '+33612345678' }],
      }),
      200
    );
    described(await api('get', '/api/consent/eligibility?purpose=nope&email=fa@example.com'), 400);
    described(await api('get', '/api/consent/eligibility?purpose=newsletter&email=fa@example.com', null), 403);
  });

  it('rights: export and erasure', async () => {
    await submit('gi@example.com', { newsletter: true });
    described(await api('get', '/api/consent/subjects/export?email=gi@example.com'), 200);
    described(await api('get', '/api/consent/subjects/export?email=nobody@example.com'), 404);
    described(await api('post', '/api/consent/subjects/erase').send({ email: 'gi@example.com' }), 200);
    described(await api('post', '/api/consent/subjects/erase').send({}), 400);
  });

  it('imports, relationships, phone verifications and contacts', async () => {
    const occurredAt = new Date(Date.now() - 86_400_000).toISOString();
    described(
      await api('post', '/api/consent/events').send({
        source: { type: 'first-party', name: 'Call centre' },
        events: [
          {
            subject: { email: 'ha@example.com' },
            purpose: 'newsletter',
            channel: 'email',
            action: 'refused',
            occurredAt,
            method: 'import',
          },
        ],
      }),
      201
    );
    described(await api('post', '/api/consent/events').send({ events: 'none' }), 400);
    described(
      await api('post', '/api/consent/relationships').send({
        subject: { email: 'ha@example.com' },
        reference: 'order-1',
        startedAt: occurredAt,
      }),
      201
    );
    described(await api('post', '/api/consent/relationships').send({ reference: 'order-2' }), 400);
    described(
      await api('post', '/api/consent/phone-verifications').send({
        subject: { phone: '+4915112345678' },
        method: 'sms-code',
        reference: 'otp-1',
      }),
      200
    );
    described(
      await api('post', '/api/consent/phone-verifications').send({
        subject: { phone: '+4915112345678' },
        method: 'carrier-pigeon',
        reference: 'x',
      }),
      400
    );
    described(
      await api('post', '/api/consent/contacts').send({
        subject: { email: 'fa@example.com' },
        purpose: 'newsletter',
        channel: 'email',
        occurredAt,
      }),
      201
    );
    described(await api('post', '/api/consent/contacts').send({ purpose: 'newsletter' }), 400);
  });

  it('messages: queued, followed, refused without the opt-out link', async () => {
    const template = {
      subject: 'News',
      html: '<p>Hi <a href="{{unsubscribeUrl}}">unsubscribe</a></p>',
      text: 'Hi. Unsubscribe: {{unsubscribeUrl}}',
    };
    const queued = described(
      await api('post', '/api/consent/messages').send({
        purpose: 'newsletter',
        channel: 'email',
        recipients: [{ email: 'fa@example.com' }, { email: 'zz@example.com' }],
        template,
      }),
      202
    );
    const id = queued.body.data.id;
    let job = described(await api('get', `/api/consent/messages/${id}`), 200);
    for (let i = 0; i < 100 && job.body.data.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = described(await api('get', `/api/consent/messages/${id}`), 200);
    }
    expect(job.body.data.status).toBe('done');
    described(
      await api('post', '/api/consent/messages').send({
        purpose: 'newsletter',
        channel: 'email',
        recipients: [{ email: 'fa@example.com' }],
        template: { ...template, text: 'no link' },
      }),
      400
    );
    described(await api('get', '/api/consent/messages/999999'), 404);
  });

  it('audiences stream as NDJSON or CSV; an unknown purpose is refused', async () => {
    described(await api('get', '/api/consent/audiences/newsletter?format=ndjson'), 200);
    described(await api('get', '/api/consent/audiences/newsletter?format=csv'), 200);
    described(await api('get', '/api/consent/audiences/nope'), 400);
  });
});
