/**
 * No personal data where it leaks (issue 20, part 5). Access logs and proxies record URLs, so a
 * single eligibility check can ask with the person in the body (`POST /api/consent/eligibility` with
 * one subject, answered as the GET is); and nothing the plugin writes to the log holds an email address
 * or a phone number. The second part captures every call to `strapi.log` and `console` during a run of
 * submissions (a confirmation mail refused by the SMTP server that quotes the recipient), a
 * confirmation, checks, withdrawals, an erasure and refusals, and searches them for the identifiers.
 *
 * Requirement ids: B1 the confirmation mail, D2 withdrawal by identifier, I1 erasure.
 */
import type { AddressInfo } from 'node:net';
import { format } from 'node:util';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { createApiToken } from '../harness/api-token';
import { setupForm, shownNotices, type Notices } from '../harness/consent-setup';
import { confirmationLink } from '../harness/smtp';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SMTPServer } = require('smtp-server');

const ORIGIN = 'https://shop.example';
const PEOPLE = { ada: 'ada.lovelace@example.com', bob: 'bob.refused@example.org', cy: 'cy@example.net' };
const PHONE = { written: '06 12 34 56 78', e164: '+33612345678', national: '0612345678' };
const REFUSED = PEOPLE.bob;
/** What a log line must never hold: these identifiers in any spelling, and anything shaped like one. */
const FORBIDDEN = [...Object.values(PEOPLE), ...Object.values(PHONE), '612345678'];
const EMAIL_SHAPE = /[\w.+-]+@[\w-]+\.[\w.-]+/;

let app: TestStrapi;
let key: string;
let notices: Notices;
const lines: string[] = [];
const mails: { to: string; text: string }[] = [];
let smtp: { close: (cb: () => void) => void; server: { address(): AddressInfo } };
const consoleSpies: jest.SpyInstance[] = [];

const record = (args: unknown[]) =>
  lines.push(format(...args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : a))));

beforeAll(async () => {
  // A real SMTP server that refuses one recipient the way Postfix does, quoting the address back.
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address: { address: string }, _session: unknown, callback: (error?: Error) => void) {
      if (address.address === REFUSED)
        return callback(
          Object.assign(new Error(`<${REFUSED}>: Recipient address rejected: User unknown`), { responseCode: 550 })
        );
      return callback();
    },
    onData(
      stream: NodeJS.ReadableStream,
      session: { envelope: { rcptTo: { address: string }[] } },
      callback: () => void
    ) {
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo[0].address, text: text.replace(/=\r?\n/g, '').replace(/=3D/g, '=') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) =>
    (smtp as unknown as { listen: (p: number, h: string, cb: () => void) => void }).listen(0, '127.0.0.1', resolve)
  );
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    consoleSpies.push(
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => (record(args), original(...args)))
    );
  }
  app = await bootStrapi({
    env: { CONSENT_TEST_SMTP_PORT: String(smtp.server.address().port) },
    // Every call is recorded, whatever the level lets through to the console.
    beforeLoad: (strapi) => {
      const log = strapi.log as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const level of ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']) {
        const original = log[level].bind(strapi.log);
        log[level] = (...args: unknown[]) => (record(args), original(...args));
      }
    },
  });
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'doi', 'sms', 'postal']));
  key = await createApiToken(app.strapi, 'logs');
});
afterAll(async () => {
  await app?.stop();
  await new Promise<void>((resolve) => smtp?.close(resolve));
  for (const spy of consoleSpies) spy.mockRestore();
});

const submit = (subject: Record<string, string>, choices: Record<string, boolean>) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set('Origin', ORIGIN)
    .send({
      form: 'signup',
      subject,
      choices,
      notices: Object.fromEntries(Object.keys(choices).map((k) => [k, notices[k]])),
    });
const api = (path: string, body: unknown) =>
  app
    .http()
    .post(`/api/consent${path}`)
    .set('Authorization', `Bearer ${key}`)
    .send(body as object);

describe('spec 4.2: POST /api/consent/eligibility with one subject answers what the GET answers', () => {
  beforeAll(async () => {
    expect((await submit({ email: PEOPLE.cy }, { newsletter: true })).status).toBe(201);
  });

  it.each([
    ['an email', { email: PEOPLE.cy }, 'newsletter', undefined],
    ['an unknown email', { email: 'nobody@example.com' }, 'newsletter', undefined],
    ['a phone number', { phone: PHONE.e164 }, 'sms', 'sms'],
  ])('by %s', async (_, subject, purpose, channel) => {
    const query = { purpose, ...(channel ? { channel } : {}), ...subject };
    const byGet = await app.http().get('/api/consent/eligibility').query(query).set('Authorization', `Bearer ${key}`);
    const byPost = await api('/eligibility', query);
    expect(byGet.status).toBe(200);
    expect(byPost.status).toBe(200);
    expect(byPost.body).toEqual(byGet.body);
    expect(byPost.body.data).toEqual({
      eligible: expect.any(Boolean),
      state: expect.any(String),
      basis: 'consent',
      reasons: expect.any(Array),
    });
  });

  it('a list in `subjects` still answers one item per person, in order', async () => {
    const res = await api('/eligibility', {
      purpose: 'newsletter',
      subjects: [{ email: PEOPLE.cy }, { email: 'nobody@example.com' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.data.map((a: { ref: unknown; eligible: boolean }) => [a.ref, a.eligible])).toEqual([
      [{ email: PEOPLE.cy }, true],
      [{ email: 'nobody@example.com' }, false],
    ]);
  });
});

describe('no log line the plugin writes holds an email address or a phone number', () => {
  beforeAll(async () => {
    lines.length = 0;
    // Submissions, one with a confirmation mail that goes out and one the SMTP server refuses (B1).
    expect(
      (await submit({ email: PEOPLE.ada, phone: PHONE.written }, { doi: true, newsletter: true, sms: true })).status
    ).toBe(201);
    const refused = await submit({ email: REFUSED }, { doi: true });
    expect(refused.status).toBe(201);
    expect(refused.body.data.confirmation).toEqual({ mailSent: false });
    // The confirmation from the mail.
    for (let i = 0; i < 100 && !mails.some((m) => m.to === PEOPLE.ada); i += 1)
      await new Promise((r) => setTimeout(r, 50));
    const link = confirmationLink({ text: mails.find((m) => m.to === PEOPLE.ada)!.text } as never);
    expect((await app.http().post(link.path).set('Accept', 'application/json')).status).toBe(200);
    // Checks, one and many, by email and by phone.
    expect((await api('/eligibility', { purpose: 'doi', email: PEOPLE.ada })).body.data.eligible).toBe(true);
    expect((await api('/eligibility', { purpose: 'sms', channel: 'sms', phone: PHONE.written })).status).toBe(200);
    expect(
      (
        await api('/eligibility', {
          purpose: 'newsletter',
          subjects: [{ email: PEOPLE.ada }, { phone: PHONE.national }],
        })
      ).status
    ).toBe(200);
    // Withdrawals by email and by phone (D2), an erasure (I1).
    expect(
      (
        await app
          .http()
          .post('/api/consent/withdrawals')
          .send({ subject: { email: PEOPLE.ada }, purposes: ['newsletter'] })
      ).status
    ).toBe(202);
    expect(
      (
        await app
          .http()
          .post('/api/consent/withdrawals')
          .send({ subject: { phone: PHONE.written }, purposes: 'all' })
      ).status
    ).toBe(202);
    expect((await api('/subjects/erase', { email: PEOPLE.ada })).status).toBe(200);
    // Refusals that carry the identifiers in their bodies.
    expect((await submit({ email: `${PEOPLE.ada}\r\nBcc: x@example.com` }, { newsletter: true })).status).toBe(400);
    expect((await submit({ email: PEOPLE.cy, phone: '+999999999999999' }, { newsletter: true })).status).toBe(400);
    expect(
      (
        await app
          .http()
          .post('/api/consent/submissions')
          .set({ Origin: ORIGIN, 'Content-Type': 'application/json' })
          .send(`{"subject":{"email":"${PEOPLE.cy}"`)
      ).status
    ).toBe(400);
    expect(
      (
        await app
          .http()
          .post('/api/consent/submissions')
          .set('Origin', 'https://evil.example')
          .send({ form: 'signup', subject: { email: PEOPLE.cy }, choices: {}, notices: {} })
      ).status
    ).toBe(403);
    expect((await api('/eligibility', { purpose: 'no-such-purpose', email: PEOPLE.cy })).status).toBe(400);
    expect((await api('/eligibility', { purpose: 'newsletter', email: PEOPLE.cy, phone: PHONE.e164 })).status).toBe(
      400
    );
  });

  it('the run was logged: the refused confirmation mail and the erasure are there', () => {
    expect(lines.some((l) => l.includes('[consent] the confirmation mail could not be sent'))).toBe(true);
    expect(lines.some((l) => l.includes('[consent] erased subject'))).toBe(true);
  });

  it('no captured line holds one of the identifiers used, in any spelling, or anything shaped like an email address', () => {
    const leaks = lines.filter((l) => FORBIDDEN.some((f) => l.includes(f)) || EMAIL_SHAPE.test(l));
    expect(leaks).toEqual([]);
  });
});
