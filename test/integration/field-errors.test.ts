/**
 * One shape of field errors (issue 19 part 4): every refusal of a bad body or parameter, on an admin or a
 * public route, whether yup or the plugin's own code found the fault, is Strapi's standard error body with
 * `details.errors[]`, each `{ path: string[], message }`, the shape Strapi's ValidationError has and the
 * admin's one parser reads (admin/src/api.ts `fieldErrorsOf`). The 409 of a field that cannot take a
 * value names it the same way (and keeps its `details.field`). Nothing is written.
 */
import request from 'supertest';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { createApiToken } from '../harness/api-token';
import { rowCounts, setupForm } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let admin: ReturnType<typeof adminApi>;
let token: string;
let draftId: number;

beforeAll(async () => {
  app = await bootStrapi();
  admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  token = await createApiToken(app.strapi, 'field-errors');
  await setupForm(app.strapi, ['newsletter']);
  // A draft without the A7 information (no data categories, no privacy policy): publishing it is refused.
  const draft = await app.strapi
    .plugin('consent')
    .service('notices')
    .createDraft({ purpose: 'newsletter', locale: 'de', title: 'Newsletter', body: 'Monatlich.' });
  draftId = draft.id;
});
afterAll(() => app?.stop());

const http = () => request(app.strapi.server.httpServer);
const server = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
// Made of the right characters, signed by nobody.
const FORGED = 'eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

interface Case {
  name: string;
  send: () => request.Test;
  status: 400 | 409;
  /** A path (dotted) that one of `details.errors[]` must name. */
  path?: string;
}

const cases: Case[] = [
  // admin routes
  { name: 'admin: POST /purposes, empty', send: () => admin.post('/consent/purposes', {}), status: 400, path: 'key' },
  {
    name: 'admin: PUT /purposes/:key, unknown legal basis',
    send: () => admin.put('/consent/purposes/newsletter', { legalBasis: 'because' }),
    status: 400,
    path: 'legalBasis',
  },
  {
    name: 'admin: POST /notices, unknown purpose',
    send: () => admin.post('/consent/notices', { purpose: 'no-such', locale: 'en', title: 'T', body: 'B' }),
    status: 400,
    path: 'purpose',
  },
  {
    name: 'admin: POST /notices/:id/publish, A7 information missing',
    send: () => admin.post(`/consent/notices/${draftId}/publish`),
    status: 400,
    path: 'privacyPolicyUrl',
  },
  { name: 'admin: POST /forms, empty', send: () => admin.post('/consent/forms', {}), status: 400, path: 'key' },
  {
    name: 'admin: POST /forms, a key already used (409)',
    send: () => admin.post('/consent/forms', { key: 'signup', name: 'Again', purposes: ['newsletter'] }),
    status: 409,
    path: 'key',
  },
  { name: 'admin: POST /reports, empty', send: () => admin.post('/consent/reports', {}), status: 400 },
  { name: 'admin: POST /objections, empty', send: () => admin.post('/consent/objections', {}), status: 400 },
  { name: 'admin: GET /events, bad date', send: () => admin.get('/consent/events?from=yesterday'), status: 400 },
  // public routes
  {
    name: 'public: POST /submissions, empty',
    send: () => http().post('/api/consent/submissions').send({}),
    status: 400,
    path: 'form',
  },
  {
    name: 'public: POST /submissions, an array',
    send: () => http().post('/api/consent/submissions').send([]),
    status: 400,
  },
  {
    name: 'public: POST /submissions, not JSON',
    send: () => http().post('/api/consent/submissions').set('Content-Type', 'application/json').send('{"form":'),
    status: 400,
    path: 'body',
  },
  {
    name: 'public: POST /withdrawals, empty',
    send: () => http().post('/api/consent/withdrawals').send({}),
    status: 400,
  },
  {
    name: 'public: GET /confirm/:token, a forged link (JSON)',
    send: () => http().get(`/api/consent/confirm/${FORGED}`).set('Accept', 'application/json'),
    status: 400,
    path: 'token',
  },
  {
    name: 'public: GET /confirm/:token, not a token',
    send: () => http().get('/api/consent/confirm/not-a-token').set('Accept', 'application/json'),
    status: 400,
    path: 'token',
  },
  {
    name: 'public: PUT /preferences/:token, empty (the body is read before the link)',
    send: () => http().put(`/api/consent/preferences/${FORGED}`).set('Accept', 'application/json').send({}),
    status: 400,
    path: 'choices',
  },
  {
    name: 'server: POST /eligibility, empty',
    send: () => server(http().post('/api/consent/eligibility')).send({}),
    status: 400,
  },
  { name: 'server: POST /events, empty', send: () => server(http().post('/api/consent/events')).send({}), status: 400 },
  {
    name: 'server: POST /contacts, empty',
    send: () => server(http().post('/api/consent/contacts')).send({}),
    status: 400,
  },
  {
    name: 'server: POST /relationships, empty',
    send: () => server(http().post('/api/consent/relationships')).send({}),
    status: 400,
  },
];

it.each(cases)('$name: details.errors[] of { path: string[], message }', async ({ send, status, path }) => {
  const before = await rowCounts(app.strapi);
  const res = await send();
  expect(res.status).toBe(status);
  expect(res.body).toEqual({
    data: null,
    error: expect.objectContaining({ status, name: expect.any(String), message: expect.any(String) }),
  });
  const { errors } = res.body.error.details;
  expect(Array.isArray(errors) && errors.length > 0).toBe(true);
  for (const e of errors) {
    expect(e).toEqual(expect.objectContaining({ path: expect.any(Array), message: expect.any(String) }));
    for (const part of e.path) expect(typeof part).toBe('string');
  }
  if (path) expect(errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(path);
  expect(await rowCounts(app.strapi)).toEqual(before);
});

it('a 409 that names its field keeps `details.field` beside `errors[]`', async () => {
  const res = await admin.post('/consent/forms', { key: 'signup', name: 'Again', purposes: ['newsletter'] });
  expect(res.body.error.details).toEqual({
    field: 'key',
    errors: [{ path: ['key'], message: res.body.error.message }],
  });
});
