/**
 * Bad input against every public HTTP route of the plugin (spec 4.1, 4.2): each case must be answered
 * with a 4xx (never a 5xx), in Strapi's standard error body `{ data: null, error: { status, name, message,
 * details } }` naming the offending field where there is one, and must write nothing (no event, state,
 * subject or receipt). One table per route; each row is its own test.
 *
 * Requirement ids: A1 only an explicit `true` ticks a box, A4 one decision per purpose, A9 the exact
 * notice version shown, E3 the one-click POST (RFC 8058: urlencoded or multipart).
 *
 * The last tables send malformed bodies over raw sockets to every public route (issue 20): multipart
 * without or with a wrong boundary, cut short, with bare `\n`; JSON nested thousands of levels; bodies
 * that arrive too slowly. Each must be answered with a 4xx within a few seconds, never 5xx, never left
 * hanging.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type request from 'supertest';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { publishNotice, rowCounts, setupForm, shownNotices } from '../harness/consent-setup';

let app: TestStrapi;
let token: string;
type Notices = Record<string, { version: number; hash: string }>;
/** What the front end of each form displayed (current versions at the time of the request). */
let signup: Notices;
let extras: Notices;
let outdated: Notices;

const ORIGIN = 'https://shop.example';
const HEX = 'a'.repeat(64);

// Short, so that the slow-body cases below are answered within a few seconds (default 10 s).
const BODY_TIMEOUT_MS = 1000;

beforeAll(async () => {
  app = await bootStrapi({ pluginConfig: { http: { bodyTimeoutMs: BODY_TIMEOUT_MS } } });
  signup = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal']));
  // A contract purpose (no choice to make) and a double-opt-in purpose.
  extras = shownNotices(
    await setupForm(app.strapi, ['newsletter', 'service', 'doi'], { key: 'extras', name: 'Extras' })
  );
  // Its own purpose, so that publishing a second notice version (A9, last describe) leaves the others current.
  outdated = shownNotices(await setupForm(app.strapi, ['sms'], { key: 'outdated', name: 'Outdated' }));
  const created = await app.strapi
    .service('admin::api-token')
    .create({ name: 'bad-input', type: 'full-access', kind: 'content-api', lifespan: null });
  token = created.accessKey;
  // The raw-socket cases below need a port; supertest reuses a listening server.
  const server = app.strapi.server.httpServer;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => app?.stop());

// ---------------------------------------------------------------------------------------------------
// Helpers

interface Case {
  name: string;
  send: () => request.Test;
  status: number;
  /** Strapi error class name (`error.name`); undefined where Strapi's body parser answers (any name). */
  error: string | undefined;
  /**
   * Strings the message or the details must contain: the offending field, where there is one. The
   * details' `errors[].path` arrays count as dotted paths (`subjects.0`).
   */
  names?: string[];
}

/** A body that would be accepted: each case changes one thing. */
const valid = () => ({
  form: 'signup',
  locale: 'en',
  subject: { email: 'valid@example.com' },
  choices: { newsletter: true, partners: false },
  notices: signup,
  context: { url: 'https://shop.example/join' },
});

const post = (headers: Record<string, string> = {}) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set({ Origin: ORIGIN, Accept: 'application/json', ...headers });

/** JSON body (serialised by supertest). */
const submit =
  (body: () => unknown, headers: Record<string, string> = {}) =>
  () =>
    post(headers).send(body() as object);

/** A JSON text sent as is (malformed JSON, `__proto__` keys that an object literal would swallow). */
const raw =
  (text: () => string, type = 'application/json') =>
  () =>
    post().set('Content-Type', type).send(text());

/** An HTML form post (urlencoded), by a client that asked for JSON. */
const urlencoded = (text: () => string) => () => post().type('form').send(text());

const urlNotices = (shown: Notices) =>
  Object.entries(shown)
    .map(([k, n]) => `&notices%5B${k}%5D%5Bversion%5D=${n.version}&notices%5B${k}%5D%5Bhash%5D=${n.hash}`)
    .join('');

const changed = (patch: (body: ReturnType<typeof valid>) => unknown) => () => patch(valid());

const refused = (status: number, error: string | undefined, ...names: string[]) => ({ status, error, names });
const bad = (...names: string[]) => refused(400, 'ValidationError', ...names);

const expectRefused = async (c: Case) => {
  const before = await rowCounts(app.strapi);
  const res = await c.send();
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.type).toBe('application/json');
  expect(res.body).toEqual({
    data: null,
    error: {
      status: c.status,
      name: c.error ?? expect.any(String),
      message: expect.any(String),
      details: expect.any(Object),
    },
  });
  expect(res.status).toBe(c.status);
  const { message, details } = res.body.error as { message: string; details: { errors?: { path: string[] }[] } };
  const paths = (details.errors ?? []).map((e) => e.path.join('.'));
  const said = [message, JSON.stringify(details), ...paths].join(' ');
  for (const name of c.names ?? []) expect(said).toContain(name);
  expect(await rowCounts(app.strapi)).toEqual(before);
};

const big = (n: number, ch = 'x') => ch.repeat(n);

// ---------------------------------------------------------------------------------------------------
// POST /api/consent/submissions

const submissionCases: Case[] = [
  // The body as a whole. Strapi's body parser (koa-body: strict JSON, `__proto__` refused, 1 MB) answers
  // the first ones before the route is reached; the plugin's API boundary gives them Strapi's error body.
  { name: 'spec 4.1: malformed JSON', send: raw(() => '{"form":'), ...refused(400, 'ValidationError', 'body') },
  {
    name: 'spec 4.1: JSON body that is a string',
    send: raw(() => '"signup"'),
    ...refused(400, 'ValidationError', 'body'),
  },
  { name: 'spec 4.1: JSON body null', send: raw(() => 'null'), ...refused(400, 'ValidationError', 'body') },
  { name: 'spec 4.1: JSON body a number', send: raw(() => '42'), ...refused(400, 'ValidationError', 'body') },
  {
    name: "spec 4.1: body over Strapi's own 1 MB limit",
    send: raw(() => JSON.stringify({ ...valid(), fields: { note: big(1024 * 1024) } })),
    ...refused(413, 'PayloadTooLargeError', 'body'),
  },
  {
    name: 'spec 4.1: Content-Encoding gzip with a body that is not gzip',
    send: () =>
      post().set({ 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).send(JSON.stringify(valid())),
    ...refused(415, 'UnsupportedMediaTypeError', 'content-encoding'),
  },
  { name: 'spec 4.1: JSON body that is an array', send: raw(() => JSON.stringify([valid()])), ...bad() },
  { name: 'spec 4.1: text/plain body', send: raw(() => JSON.stringify(valid()), 'text/plain'), ...bad() },
  { name: 'spec 4.1: empty JSON object', send: submit(() => ({})), ...bad('form', 'subject') },
  {
    name: 'spec 4.1: body over 16 kB',
    send: submit(
      changed((b) => ({ ...b, fields: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, big(400)])) }))
    ),
    ...refused(413, 'PayloadTooLargeError'),
  },
  {
    name: 'spec 4.1: unknown top-level key defaultChecked (A2)',
    send: submit(changed((b) => ({ ...b, defaultChecked: true }))),
    ...bad('defaultChecked'),
  },
  {
    name: 'spec 4.1: "constructor" key at top level',
    send: submit(changed((b) => ({ ...b, constructor: { name: 'x' } }))),
    ...bad('constructor'),
  },
  // `__proto__` in JSON text is refused by Strapi's body parser; the plugin refuses the other two names.
  {
    name: 'spec 4.1: "__proto__" key at top level (raw JSON)',
    send: raw(() => JSON.stringify(valid()).replace(/^\{/, '{"__proto__":{"isAdmin":true},')),
    ...refused(400, 'ValidationError', '__proto__'),
  },

  // form
  { name: 'spec 4.1: form missing', send: submit(changed(({ form, ...b }) => b)), ...bad('form') },
  { name: 'spec 4.1: form a number', send: submit(changed((b) => ({ ...b, form: 42 }))), ...bad('form') },
  {
    name: 'spec 4.1: form an object',
    send: submit(changed((b) => ({ ...b, form: { key: 'signup' } }))),
    ...bad('form'),
  },
  { name: 'spec 4.1: form null', send: submit(changed((b) => ({ ...b, form: null }))), ...bad('form') },
  {
    name: 'spec 4.1: unknown form',
    send: submit(changed((b) => ({ ...b, form: 'no-such-form' }))),
    ...bad('form', 'no-such-form'),
  },
  { name: 'spec 4.1: form key in uppercase', send: submit(changed((b) => ({ ...b, form: 'SIGNUP' }))), ...bad('form') },
  {
    name: 'spec 4.1: form key with an underscore',
    send: submit(changed((b) => ({ ...b, form: 'sign_up' }))),
    ...bad('form'),
  },
  {
    name: 'spec 4.1: form key with a double hyphen',
    send: submit(changed((b) => ({ ...b, form: 'sign--up' }))),
    ...bad('form'),
  },
  {
    name: 'spec 4.1: form key of 65 characters',
    send: submit(changed((b) => ({ ...b, form: big(65, 'a') }))),
    ...bad('form'),
  },

  // locale
  { name: 'spec 4.1: locale "english"', send: submit(changed((b) => ({ ...b, locale: 'english' }))), ...bad('locale') },
  { name: 'spec 4.1: locale a number', send: submit(changed((b) => ({ ...b, locale: 1 }))), ...bad('locale') },

  // subject
  { name: 'spec 4.1: subject missing', send: submit(changed(({ subject, ...b }) => b)), ...bad('subject') },
  {
    name: 'spec 4.1: subject with no identifier',
    send: submit(changed((b) => ({ ...b, subject: {} }))),
    ...bad('subject'),
  },
  {
    name: 'spec 4.1: subject with only an audience',
    send: submit(changed((b) => ({ ...b, subject: { audience: 'consumer' } }))),
    ...bad('subject'),
  },
  {
    name: 'spec 4.1: subject a string',
    send: submit(changed((b) => ({ ...b, subject: 'valid@example.com' }))),
    ...bad('subject'),
  },
  {
    name: 'spec 4.1: subject an array',
    send: submit(changed((b) => ({ ...b, subject: [{ email: 'valid@example.com' }] }))),
    ...bad('subject'),
  },
  {
    name: 'spec 4.1: subject with an unknown field',
    send: submit(changed((b) => ({ ...b, subject: { email: 'valid@example.com', name: 'Val' } }))),
    ...bad('subject', 'name'),
  },
  {
    name: 'spec 4.1: email not an address',
    send: submit(changed((b) => ({ ...b, subject: { email: 'not-an-address' } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: email without a domain dot',
    send: submit(changed((b) => ({ ...b, subject: { email: 'a@localhost' } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: email a number',
    send: submit(changed((b) => ({ ...b, subject: { email: 12345 } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: email with NUL (\\u0000)',
    send: submit(changed((b) => ({ ...b, subject: { email: 'val\u0000id@example.com' } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: email with BEL (\\u0007)',
    send: submit(changed((b) => ({ ...b, subject: { email: 'valid\u0007@example.com' } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: email with a zero-width joiner (\\u200d)',
    send: submit(changed((b) => ({ ...b, subject: { email: 'val\u200did@example.com' } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: email with an RTL override (\\u202e)',
    send: submit(changed((b) => ({ ...b, subject: { email: '\u202emoc.elpmaxe@dilav' } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: email with header injection (\\r\\nBcc:)',
    send: submit(changed((b) => ({ ...b, subject: { email: 'valid@example.com\r\nBcc: all@example.com' } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: email of 255 characters',
    send: submit(changed((b) => ({ ...b, subject: { email: `${big(64, 'a')}@${big(186, 'b')}.com` } }))),
    ...bad('subject.email'),
  },
  {
    name: 'spec 4.1: phone "12"',
    send: submit(changed((b) => ({ ...b, choices: {}, subject: { phone: '12' } }))),
    ...bad('subject.phone'),
  },
  {
    name: 'spec 4.1: phone "abc"',
    send: submit(changed((b) => ({ ...b, choices: {}, subject: { phone: 'abc' } }))),
    ...bad('subject.phone'),
  },
  {
    name: 'spec 4.1: phone "+999999999999999"',
    send: submit(changed((b) => ({ ...b, choices: {}, subject: { phone: '+999999999999999' } }))),
    ...bad('subject.phone'),
  },
  {
    name: 'spec 4.1: phone with letters',
    send: submit(changed((b) => ({ ...b, choices: {}, subject: { phone: '+33 6 12 34 56 7B' } }))),
    ...bad('subject.phone'),
  },
  {
    name: 'spec 4.1: phone with a valid email next to it',
    send: submit(changed((b) => ({ ...b, subject: { email: 'valid@example.com', phone: '0000' } }))),
    ...bad('subject.phone'),
  },
  {
    name: 'spec 4.1: externalId of 129 characters',
    send: submit(changed((b) => ({ ...b, choices: {}, subject: { externalId: big(129, 'c') } }))),
    ...bad('subject.externalId'),
  },
  {
    name: 'spec 4.1: externalId with a control character',
    send: submit(changed((b) => ({ ...b, choices: {}, subject: { externalId: 'acct-\u0001-42' } }))),
    ...bad('subject.externalId'),
  },
  {
    name: 'spec 4.1: externalId of blanks only',
    send: submit(changed((b) => ({ ...b, choices: {}, subject: { externalId: '   ' } }))),
    ...bad('subject.externalId'),
  },
  {
    name: 'spec 4.1: audience "any"',
    send: submit(changed((b) => ({ ...b, subject: { ...b.subject, audience: 'any' } }))),
    ...bad('subject.audience'),
  },
  {
    name: 'spec 4.1: audience unknown',
    send: submit(changed((b) => ({ ...b, subject: { ...b.subject, audience: 'robot' } }))),
    ...bad('subject.audience'),
  },

  // choices (A1, A4)
  ...(
    [
      ['"yes"', 'yes'],
      ['"on"', 'on'],
      ['"true"', 'true'],
      ['1', 1],
      ['0', 0],
      ['null', null],
      ['{}', {}],
      ['[]', []],
    ] as const
  ).map(([label, value]) => ({
    name: `A1: choices.newsletter = ${label} in JSON (only a boolean is a decision)`,
    send: submit(changed((b) => ({ ...b, choices: { newsletter: value } }))),
    ...bad('choices.newsletter'),
  })),
  {
    name: 'A1: choices an array',
    send: submit(changed((b) => ({ ...b, choices: ['newsletter'] }))),
    ...bad('choices'),
  },
  { name: 'A1: choices a string', send: submit(changed((b) => ({ ...b, choices: 'newsletter' }))), ...bad('choices') },
  {
    name: 'A4: one box for several purposes ("newsletter,partners")',
    send: submit(changed((b) => ({ ...b, choices: { 'newsletter,partners': true } }))),
    ...bad('choices'),
  },
  {
    name: 'A4: two decisions for one purpose ([true, true])',
    send: submit(changed((b) => ({ ...b, choices: { newsletter: [true, true] } }))),
    ...bad('choices.newsletter'),
  },
  {
    name: 'A4: a choice for a purpose the form does not offer',
    send: submit(changed((b) => ({ ...b, choices: { sms: true } }))),
    ...bad('choices.sms'),
  },
  {
    name: 'A4: a choice for a purpose that does not exist',
    send: submit(changed((b) => ({ ...b, choices: { 'no-such-purpose': true } }))),
    ...bad('choices.no-such-purpose'),
  },
  {
    name: 'spec 4.1: choices "__proto__" key (raw JSON)',
    send: raw(() =>
      JSON.stringify({ ...valid(), choices: {} }).replace('"choices":{}', '"choices":{"__proto__":{"newsletter":true}}')
    ),
    // The parser refuses before the plugin sees the body, so the key is named, not its path.
    ...refused(400, 'ValidationError', '__proto__'),
  },
  {
    name: 'spec 4.1: choices "constructor" key',
    send: submit(changed((b) => ({ ...b, choices: { constructor: true } }))),
    ...bad('choices.constructor'),
  },
  {
    name: 'A9: a choice true without a notice for it',
    send: submit(changed((b) => ({ ...b, notices: { partners: signup.partners } }))),
    ...bad('notices.newsletter'),
  },
  {
    name: 'A9: a choice false without a notice for it',
    send: submit(changed((b) => ({ ...b, choices: { partners: false }, notices: {} }))),
    ...bad('notices.partners'),
  },
  {
    name: 'spec 4.1: a choice true for a contract purpose (no choice to make)',
    send: submit(changed((b) => ({ ...b, form: 'extras', choices: { service: true }, notices: extras }))),
    ...bad('choices.service'),
  },
  {
    name: 'spec 4.1: a double-opt-in purpose ticked without an email (phone only)',
    send: submit(
      changed((b) => ({
        ...b,
        form: 'extras',
        subject: { phone: '+33612345678' },
        choices: { doi: true },
        notices: extras,
      }))
    ),
    ...bad('subject.email'),
  },

  // notices (A9)
  {
    name: 'A9: notice version a string ("1")',
    send: submit(
      changed((b) => ({ ...b, notices: { ...signup, newsletter: { ...signup.newsletter, version: '1' } } }))
    ),
    ...bad('notices.newsletter', 'version'),
  },
  {
    name: 'A9: notice version 0',
    send: submit(changed((b) => ({ ...b, notices: { ...signup, newsletter: { ...signup.newsletter, version: 0 } } }))),
    ...bad('notices.newsletter', 'version'),
  },
  {
    name: 'A9: notice version 1.5',
    send: submit(
      changed((b) => ({ ...b, notices: { ...signup, newsletter: { ...signup.newsletter, version: 1.5 } } }))
    ),
    ...bad('notices.newsletter', 'version'),
  },
  {
    name: 'A9: notice version missing',
    send: submit(changed((b) => ({ ...b, notices: { ...signup, newsletter: { hash: signup.newsletter.hash } } }))),
    ...bad('notices.newsletter', 'version'),
  },
  {
    name: 'A9: notice version that was never published (2)',
    send: submit(changed((b) => ({ ...b, notices: { ...signup, newsletter: { ...signup.newsletter, version: 2 } } }))),
    ...bad('notices.newsletter'),
  },
  {
    name: 'A9: notice hash not hex',
    send: submit(
      changed((b) => ({ ...b, notices: { ...signup, newsletter: { ...signup.newsletter, hash: big(64, 'z') } } }))
    ),
    ...bad('notices.newsletter', 'hash'),
  },
  {
    name: 'A9: notice hash in uppercase',
    send: submit(
      changed((b) => ({
        ...b,
        notices: { ...signup, newsletter: { ...signup.newsletter, hash: signup.newsletter.hash.toUpperCase() } },
      }))
    ),
    ...bad('notices.newsletter', 'hash'),
  },
  {
    name: 'A9: notice hash of unknown text',
    send: submit(changed((b) => ({ ...b, notices: { ...signup, newsletter: { ...signup.newsletter, hash: HEX } } }))),
    ...bad('notices.newsletter'),
  },
  {
    name: 'A9: notice hash of another purpose',
    send: submit(changed((b) => ({ ...b, notices: { ...signup, newsletter: signup.partners } }))),
    ...bad('notices.newsletter'),
  },
  {
    name: 'A9: notice with an unknown extra key',
    send: submit(
      changed((b) => ({ ...b, notices: { ...signup, newsletter: { ...signup.newsletter, text: 'We send news' } } }))
    ),
    ...bad('notices.newsletter', 'text'),
  },
  {
    name: 'A9: notice a string',
    send: submit(changed((b) => ({ ...b, notices: { ...signup, newsletter: signup.newsletter.hash } }))),
    ...bad('notices.newsletter'),
  },
  {
    name: 'A9: notices key for a purpose the form does not offer',
    send: submit(changed((b) => ({ ...b, notices: { ...signup, sms: outdated.sms } }))),
    ...bad('notices.sms'),
  },
  {
    name: 'A9: notices an array',
    send: submit(changed((b) => ({ ...b, notices: [signup.newsletter] }))),
    ...bad('notices'),
  },

  // context and fields
  {
    name: 'spec 4.1: context.url over 2000 characters',
    send: submit(changed((b) => ({ ...b, context: { url: `https://shop.example/${big(2000)}` } }))),
    ...bad('context.url'),
  },
  {
    name: 'spec 4.1: context with an unknown key',
    send: submit(changed((b) => ({ ...b, context: { url: 'https://shop.example/', ip: '1.2.3.4' } }))),
    ...bad('context', 'ip'),
  },
  {
    name: 'spec 4.1: fields with 101 keys',
    send: submit(
      changed((b) => ({ ...b, fields: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, 1])) }))
    ),
    ...bad('fields'),
  },
  { name: 'spec 4.1: fields a string', send: submit(changed((b) => ({ ...b, fields: 'name=Val' }))), ...bad('fields') },
  {
    name: 'spec 4.1: "constructor" key nested in fields',
    send: submit(changed((b) => ({ ...b, fields: { profile: { constructor: { prototype: 1 } } } }))),
    ...bad('fields.profile.constructor'),
  },
  {
    name: 'spec 4.1: "__proto__" key nested in fields (raw JSON)',
    send: raw(() =>
      JSON.stringify({ ...valid(), fields: {} }).replace(
        '"fields":{}',
        '"fields":{"a":{"__proto__":{"polluted":true}}}'
      )
    ),
    ...refused(400, 'ValidationError', '__proto__'),
  },

  // origin
  {
    name: 'spec 4.1: a foreign Origin',
    send: submit(valid, { Origin: 'https://evil.example' }),
    ...refused(403, 'ForbiddenError', 'origin'),
  },
  {
    name: 'spec 4.1: Origin "null" (sandboxed page)',
    send: submit(valid, { Origin: 'null' }),
    ...refused(403, 'ForbiddenError', 'origin'),
  },
  {
    name: 'spec 4.1: Origin of a look-alike subdomain',
    send: submit(valid, { Origin: 'https://shop.example.evil.example' }),
    ...refused(403, 'ForbiddenError', 'origin'),
  },
  {
    name: 'spec 4.1: Origin over http instead of https',
    send: submit(valid, { Origin: 'http://shop.example' }),
    ...refused(403, 'ForbiddenError', 'origin'),
  },

  // plain HTML form posts (urlencoded)
  {
    name: 'A1: urlencoded choices[newsletter]=maybe',
    send: urlencoded(
      () => `form=signup&subject%5Bemail%5D=valid%40example.com&choices%5Bnewsletter%5D=maybe${urlNotices(signup)}`
    ),
    ...bad('choices.newsletter'),
  },
  {
    name: 'A4: urlencoded choices[newsletter][]=on',
    send: urlencoded(
      () => `form=signup&subject%5Bemail%5D=valid%40example.com&choices%5Bnewsletter%5D%5B%5D=on${urlNotices(signup)}`
    ),
    ...bad('choices.newsletter'),
  },
  {
    name: 'A4: urlencoded choices[newsletter] sent twice',
    send: urlencoded(
      () =>
        `form=signup&subject%5Bemail%5D=valid%40example.com&choices%5Bnewsletter%5D=on&choices%5Bnewsletter%5D=on${urlNotices(signup)}`
    ),
    ...bad('choices.newsletter'),
  },
  {
    name: 'A9: urlencoded notices[newsletter][version]=abc',
    send: urlencoded(
      () =>
        `form=signup&subject%5Bemail%5D=valid%40example.com&choices%5Bnewsletter%5D=on` +
        urlNotices({ ...signup, newsletter: { ...signup.newsletter, version: 'abc' as unknown as number } })
    ),
    ...bad('notices.newsletter', 'version'),
  },
  {
    name: 'spec 4.1: urlencoded without a subject',
    send: urlencoded(() => `form=signup&choices%5Bnewsletter%5D=on${urlNotices(signup)}`),
    ...bad('subject'),
  },
];

describe('POST /api/consent/submissions (spec 4.1, A1, A4, A9): bad input is refused with a 4xx and writes nothing', () => {
  it.each(submissionCases)('$name → $status', expectRefused);

  it('the valid body the cases start from is accepted (control)', async () => {
    const res = await post().send({ ...valid(), subject: { email: 'control@example.com' } });
    expect(res.status).toBe(201);
  });
});

// ---------------------------------------------------------------------------------------------------
// GET /api/consent/forms/:key

const get = (path: string) => () => app.http().get(path);

const formCases: Case[] = [
  {
    name: 'spec 4.1: unknown form',
    send: get('/api/consent/forms/no-such-form'),
    ...refused(404, 'NotFoundError', 'key'),
  },
  { name: 'spec 4.1: form key in uppercase', send: get('/api/consent/forms/SIGNUP'), ...bad('key') },
  { name: 'spec 4.1: form key with a space', send: get('/api/consent/forms/sign%20up'), ...bad('key') },
  { name: 'spec 4.1: locale "english"', send: get('/api/consent/forms/signup?locale=english'), ...bad('locale') },
  {
    name: 'spec 4.1: locale given twice',
    send: get('/api/consent/forms/signup?locale=en&locale=de'),
    ...bad('locale'),
  },
  { name: 'spec 4.1: unknown query parameter', send: get('/api/consent/forms/signup?preview=true'), ...bad('preview') },
];

describe('GET /api/consent/forms/:key (spec 4.1)', () => {
  it.each(formCases)('$name → $status', expectRefused);
});

// ---------------------------------------------------------------------------------------------------
// GET and POST /api/consent/eligibility (spec 4.2, API token)

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const auth = (t: request.Test) => t.set('Authorization', `Bearer ${token}`);
const check = (query: string) => () => auth(app.http().get(`/api/consent/eligibility?${query}`));
const checkMany = (body: () => unknown) => () =>
  auth(app.http().post('/api/consent/eligibility')).send(body() as object);
const checkManyRaw = (text: string) => () =>
  auth(app.http().post('/api/consent/eligibility')).set('Content-Type', 'application/json').send(text);

const eligibilityCases: Case[] = [
  // Without credentials Strapi falls back to the users-permissions Public role, which lacks the action: 403
  // (401 only for credentials it cannot verify).
  {
    name: 'spec 4.2: GET without a token',
    send: () => app.http().get('/api/consent/eligibility?purpose=newsletter&email=a%40example.com'),
    ...refused(403, 'ForbiddenError'),
  },
  {
    name: 'spec 4.2: GET with an unknown token',
    send: () =>
      app
        .http()
        .get('/api/consent/eligibility?purpose=newsletter&email=a%40example.com')
        .set('Authorization', 'Bearer nope'),
    ...refused(401, 'UnauthorizedError'),
  },
  {
    name: 'spec 4.2: POST without a token',
    send: () =>
      app
        .http()
        .post('/api/consent/eligibility')
        .send({ purpose: 'newsletter', subjects: [{ email: 'a@example.com' }] }),
    ...refused(403, 'ForbiddenError'),
  },
  { name: 'spec 4.2: GET purpose missing', send: check('email=a%40example.com'), ...bad('purpose') },
  {
    name: 'spec 4.2: GET unknown purpose',
    send: check('purpose=no-such-purpose&email=a%40example.com'),
    ...bad('purpose'),
  },
  {
    name: 'spec 4.2: GET purpose in uppercase',
    send: check('purpose=NEWSLETTER&email=a%40example.com'),
    ...bad('purpose'),
  },
  {
    name: 'spec 4.2: GET purpose given twice',
    send: check('purpose=newsletter&purpose=partners&email=a%40example.com'),
    ...bad('purpose'),
  },
  {
    name: 'spec 4.2: GET both email and phone',
    send: check('purpose=newsletter&email=a%40example.com&phone=%2B33612345678'),
    ...bad('email', 'phone'),
  },
  { name: 'spec 4.2: GET no identifier', send: check('purpose=newsletter'), ...bad('email', 'phone', 'subject') },
  {
    name: 'spec 4.2: GET channel unknown',
    send: check('purpose=newsletter&channel=pigeon&email=a%40example.com'),
    ...bad('channel'),
  },
  {
    name: 'spec 4.2: GET channel missing for a purpose on several channels',
    send: check('purpose=sms&phone=%2B33612345678'),
    ...bad('channel'),
  },
  { name: 'spec 4.2: GET subject id not a UUID', send: check('purpose=newsletter&subject=42'), ...bad('subject') },
  {
    name: 'spec 4.2: GET unknown query parameter',
    send: check('purpose=newsletter&email=a%40example.com&debug=1'),
    ...bad('debug'),
  },
  {
    name: 'spec 4.2: GET email of 255 characters',
    send: check(`purpose=newsletter&email=${big(250, 'a')}%40b.com`),
    ...bad('email'),
  },
  {
    name: 'spec 4.2: POST purpose missing',
    send: checkMany(() => ({ subjects: [{ email: 'a@example.com' }] })),
    ...bad('purpose'),
  },
  {
    name: 'spec 4.2: POST unknown purpose',
    send: checkMany(() => ({ purpose: 'no-such-purpose', subjects: [{ email: 'a@example.com' }] })),
    ...bad('purpose'),
  },
  {
    name: 'spec 4.2: POST channel unknown',
    send: checkMany(() => ({ purpose: 'newsletter', channel: 'pigeon', subjects: [{ email: 'a@example.com' }] })),
    ...bad('channel'),
  },
  { name: 'spec 4.2: POST subjects missing', send: checkMany(() => ({ purpose: 'newsletter' })), ...bad('subjects') },
  {
    name: 'spec 4.2: POST subjects not an array',
    send: checkMany(() => ({ purpose: 'newsletter', subjects: { email: 'a@example.com' } })),
    ...bad('subjects'),
  },
  {
    name: 'spec 4.2: POST subjects empty',
    send: checkMany(() => ({ purpose: 'newsletter', subjects: [] })),
    ...bad('subjects'),
  },
  {
    name: 'spec 4.2: POST 10,001 subjects',
    send: checkMany(() => ({
      purpose: 'newsletter',
      subjects: Array.from({ length: 10_001 }, (_, i) => ({
        subject: `3f2504e0-4f89-41d3-9a0c-${String(i).padStart(12, '0')}`,
      })),
    })),
    ...bad('subjects'),
  },
  {
    name: 'spec 4.2: POST a subject with both email and phone',
    send: checkMany(() => ({ purpose: 'newsletter', subjects: [{ email: 'a@example.com', phone: '+33612345678' }] })),
    ...bad('subjects.0'),
  },
  {
    name: 'spec 4.2: POST a subject with no identifier',
    send: checkMany(() => ({ purpose: 'newsletter', subjects: [{ email: 'a@example.com' }, {}] })),
    ...bad('subjects.1'),
  },
  {
    name: 'spec 4.2: POST a subject id not a UUID',
    send: checkMany(() => ({ purpose: 'newsletter', subjects: [{ subject: UUID }, { subject: 'not-a-uuid' }] })),
    ...bad('subjects.1.subject'),
  },
  {
    name: 'spec 4.2: POST a subject with an unknown field',
    send: checkMany(() => ({ purpose: 'newsletter', subjects: [{ email: 'a@example.com', name: 'A' }] })),
    ...bad('subjects.0', 'name'),
  },
  {
    name: 'spec 4.2: POST a subject email a number',
    send: checkMany(() => ({ purpose: 'newsletter', subjects: [{ email: 42 }] })),
    ...bad('subjects.0.email'),
  },
  { name: 'spec 4.2: POST body an array', send: checkMany(() => [{ purpose: 'newsletter' }]), ...bad() },
  {
    name: 'spec 4.2: POST malformed JSON',
    send: checkManyRaw('{"purpose":'),
    ...refused(400, 'ValidationError', 'body'),
  },
  {
    name: 'spec 4.2: POST unknown top-level key',
    send: checkMany(() => ({ purpose: 'newsletter', subjects: [{ email: 'a@example.com' }], limit: 5 })),
    ...bad('limit'),
  },
  // One subject in the body (no identifier in the URL, issue 20): the GET's rules, typed as JSON.
  {
    name: 'spec 4.2: POST one subject with both email and phone',
    send: checkMany(() => ({ purpose: 'newsletter', email: 'a@example.com', phone: '+33612345678' })),
    ...bad('email', 'phone'),
  },
  {
    name: 'spec 4.2: POST one subject without an identifier',
    send: checkMany(() => ({ purpose: 'newsletter', channel: 'email' })),
    ...bad('email', 'phone', 'subject'),
  },
  {
    name: 'spec 4.2: POST one subject and a list',
    send: checkMany(() => ({ purpose: 'newsletter', email: 'a@example.com', subjects: [{ email: 'b@example.com' }] })),
    ...bad('email', 'subjects'),
  },
  {
    name: 'spec 4.2: POST one subject with an unknown field',
    send: checkMany(() => ({ purpose: 'newsletter', email: 'a@example.com', debug: 1 })),
    ...bad('debug'),
  },
  {
    name: 'spec 4.2: POST one subject, email a number',
    send: checkMany(() => ({ purpose: 'newsletter', email: 42 })),
    ...bad('email'),
  },
  {
    name: 'spec 4.2: POST one subject, unknown purpose',
    send: checkMany(() => ({ purpose: 'no-such-purpose', email: 'a@example.com' })),
    ...bad('purpose'),
  },
  {
    name: 'spec 4.2: POST one subject, subject id not a UUID',
    send: checkMany(() => ({ purpose: 'newsletter', subject: '42' })),
    ...bad('subject'),
  },
  {
    name: 'spec 4.2: POST "__proto__" key (raw JSON)',
    send: checkManyRaw('{"purpose":"newsletter","subjects":[{"email":"a@example.com"}],"__proto__":{"x":1}}'),
    ...refused(400, 'ValidationError', '__proto__'),
  },
];

describe('GET and POST /api/consent/eligibility (spec 4.2)', () => {
  it.each(eligibilityCases)('$name → $status', expectRefused);

  it('a valid question with the token is answered (control)', async () => {
    const res = await check('purpose=newsletter&email=a%40example.com')();
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ eligible: false });
  });
});

// ---------------------------------------------------------------------------------------------------
// Last: a notice that changed after the page was loaded (A9). Only the `outdated` form's purpose gets a
// second version, so nothing above depends on the order.

describe('A9: a notice published after the page was loaded → 409 NoticeOutdated', () => {
  beforeAll(async () => {
    await publishNotice(app.strapi, 'sms', 'en', 'About sms, second edition');
  });

  const outdatedCases: Case[] = [
    {
      name: 'A9: ticked under the previous notice version',
      send: submit(() => ({
        form: 'outdated',
        subject: { email: 'late@example.com' },
        choices: { sms: true },
        notices: outdated,
      })),
      ...refused(409, 'NoticeOutdated', 'sms'),
    },
    {
      name: 'A9: left unticked under the previous notice version',
      send: submit(() => ({
        form: 'outdated',
        subject: { email: 'late@example.com' },
        choices: { sms: false },
        notices: outdated,
      })),
      ...refused(409, 'NoticeOutdated', 'sms'),
    },
  ];

  it.each(outdatedCases)('$name → $status', expectRefused);
});

// ---------------------------------------------------------------------------------------------------
// Malformed and slow bodies on every public route, over raw sockets (issue 20, spec 4.1, E3)

/** A made-up token: the body must be refused before or after the token check, never with a 500. */
const FAKE = 'bWFkZS11cA.bWFkZS11cA';
const PUBLIC_ROUTES: [method: string, path: string][] = [
  ['GET', '/api/consent/jwks.json'],
  ['GET', '/api/consent/forms/signup'],
  ['POST', '/api/consent/submissions'],
  ['GET', `/api/consent/confirm/${FAKE}`],
  ['POST', `/api/consent/confirm/${FAKE}`],
  ['POST', `/api/consent/confirm/${FAKE}/resend`],
  ['GET', `/api/consent/unsubscribe/${FAKE}`],
  ['POST', `/api/consent/unsubscribe/${FAKE}`],
  ['GET', `/api/consent/preferences/${FAKE}`],
  ['PUT', `/api/consent/preferences/${FAKE}`],
  ['POST', `/api/consent/preferences/${FAKE}`],
  ['POST', '/api/consent/withdrawals'],
];
const BODY_ROUTES = PUBLIC_ROUTES.filter(([method]) => method !== 'GET');
const ONE_CLICK = (method: string, path: string) => method === 'POST' && path.startsWith('/api/consent/unsubscribe/');

/** Long enough for a loaded machine, far shorter than a request left hanging. */
const ANSWER_WITHIN_MS = BODY_TIMEOUT_MS + 4000;

interface Exchange {
  method: string;
  path: string;
  headers: Record<string, string | number>;
  /** Sent right after the headers. */
  body?: string;
  /** Sent this long after the first part, when the server has not answered yet (a slow client). */
  later?: { afterMs: number; body: string };
}

/** Speaks HTTP/1.1 on a socket and resolves with the status of the answer, or null if none came in time. */
const exchange = ({ method, path, headers, body = '', later }: Exchange) =>
  new Promise<{ status: number | null; ms: number }>((resolve) => {
    const { port } = app.strapi.server.httpServer.address() as AddressInfo;
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(trickle);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve({ status: status ? Number(status) : null, ms: Date.now() - started });
    };
    const timer = setTimeout(done, ANSWER_WITHIN_MS);
    const trickle = later ? setTimeout(() => !settled && socket.write(later.body), later.afterMs) : undefined;
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (/^HTTP\/1\.1 \d{3}/.test(received)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    const head = Object.entries({ Host: '127.0.0.1', Origin: ORIGIN, Accept: 'application/json', ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    socket.write(`${method} ${path} HTTP/1.1\r\n${head}\r\n\r\n${body}`);
  });

const BOUNDARY = 'consent-test-boundary';
const onePart = (eol: string, header = `Content-Disposition: form-data; name="List-Unsubscribe"`) =>
  `--${BOUNDARY}${eol}${header}${eol}${eol}One-Click${eol}--${BOUNDARY}--${eol}`;
const multipart = (
  body: string,
  type = `multipart/form-data; boundary=${BOUNDARY}`,
  length = Buffer.byteLength(body)
) => ({
  headers: { 'Content-Type': type, 'Content-Length': length },
  body,
});

interface SocketCase {
  name: string;
  request: Pick<Exchange, 'headers' | 'body' | 'later'>;
  /** The status for each route (the one-click route reads multipart, the others refuse it). */
  status: (method: string, path: string) => number;
}

const multipartStatus = (ok: number) => (method: string, path: string) => (ONE_CLICK(method, path) ? ok : 415);

const multipartCases: SocketCase[] = [
  {
    name: 'multipart without a boundary',
    request: multipart(onePart('\r\n'), 'multipart/form-data'),
    status: multipartStatus(400),
  },
  {
    name: 'multipart whose boundary is absent from the body',
    request: multipart(onePart('\r\n').replaceAll(BOUNDARY, 'another-one')),
    status: multipartStatus(400),
  },
  {
    name: 'multipart cut short (no closing delimiter)',
    request: multipart(onePart('\r\n').replace(`--${BOUNDARY}--\r\n`, '')),
    status: multipartStatus(400),
  },
  { name: 'multipart with bare \\n line breaks', request: multipart(onePart('\n')), status: multipartStatus(400) },
  {
    name: 'multipart with a line break inside a part header',
    request: multipart(onePart('\r\n', 'Content-Disposition: form-data;\n name="List-Unsubscribe"')),
    status: multipartStatus(400),
  },
  {
    name: 'multipart whose body stops before its declared length',
    request: multipart(onePart('\r\n').slice(0, 40), undefined, Buffer.byteLength(onePart('\r\n'))),
    // The one-click route waits for the rest up to http.bodyTimeoutMs; the others refuse the type at once.
    status: multipartStatus(408),
  },
  {
    name: 'multipart with a file part',
    request: multipart(onePart('\r\n', 'Content-Disposition: form-data; name="List-Unsubscribe"; filename="x.txt"')),
    status: multipartStatus(415),
  },
];

const deepJson = `{"form":"signup","fields":{"a":${'['.repeat(4000)}${']'.repeat(4000)}}}`;
const slowCases: SocketCase[] = [
  {
    name: 'JSON nested 4,000 levels deep (8 kB)',
    request: { headers: { 'Content-Type': 'application/json', 'Content-Length': deepJson.length }, body: deepJson },
    status: () => 400,
  },
  {
    name: 'a JSON body that stops before its declared length',
    request: { headers: { 'Content-Type': 'application/json', 'Content-Length': 200 }, body: '{"form":"sign' },
    status: () => 408,
  },
  {
    name: 'a urlencoded body that trickles in slower than http.bodyTimeoutMs',
    request: {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 60 },
      body: 'form=signup&',
      later: { afterMs: BODY_TIMEOUT_MS / 2, body: 'subject%5Bemail%5D=' },
    },
    status: () => 408,
  },
  {
    name: 'a chunked JSON body that never ends',
    request: {
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: '5\r\n{"for\r\n',
    },
    status: () => 408,
  },
];

const expectAnswered = (c: SocketCase, method: string, path: string) => async () => {
  const before = await rowCounts(app.strapi);
  const { status, ms } = await exchange({ method, path, ...c.request });
  expect({ status, answeredWithinLimit: ms < ANSWER_WITHIN_MS }).toEqual({
    status: c.status(method, path),
    answeredWithinLimit: true,
  });
  expect(await rowCounts(app.strapi)).toEqual(before);
};

describe('malformed multipart on every public route (issue 20, E3): 400 or 415 at once, never 5xx or a hang', () => {
  for (const c of multipartCases) {
    describe(c.name, () => {
      it.each(PUBLIC_ROUTES)('%s %s', (method, path) => expectAnswered(c, method, path)());
    });
  }

  it('E3: a well-formed multipart one-click body reaches the route (a made-up token → 400 from the token check)', async () => {
    const { status } = await exchange({
      method: 'POST',
      path: `/api/consent/unsubscribe/${FAKE}`,
      ...multipart(onePart('\r\n')),
    });
    expect(status).toBe(400);
  });
});

describe('deep and slow bodies on every public route with a body (issue 20): 400 or 408, never 5xx or a hang', () => {
  for (const c of slowCases) {
    describe(c.name, () => {
      it.each(BODY_ROUTES)('%s %s', (method, path) => expectAnswered(c, method, path)());
    });
  }

  it('a deep body gets a short message that names the limit and does not repeat the body', async () => {
    const res = await post().set('Content-Type', 'application/json').send(deepJson);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/too deeply nested \(more than 32 levels\)/),
    });
    expect(JSON.stringify(res.body).length).toBeLessThan(500);
  });

  it('the same deep body to a server-to-server route (POST /eligibility) → 400 too', async () => {
    const res = await checkManyRaw(`{"purpose":"newsletter","subjects":[${'['.repeat(4000)}${']'.repeat(4000)}]}`)();
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/too deeply nested/);
  });

  it('a rejected value is never printed whole into the message (a 15 kB string where an object belongs)', async () => {
    const res = await post().send({ ...valid(), fields: 'x'.repeat(15_000) });
    expect(res.status).toBe(400);
    expect(res.body.error.message.length).toBeLessThan(400);
    expect(JSON.stringify(res.body)).not.toContain('x'.repeat(400));
  });
});
