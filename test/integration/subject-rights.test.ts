/**
 * Data-subject rights (spec 4.2, 4.3): the Art. 15/20 export (`GET /api/consent/subjects/export`, admin
 * `GET /consent/subjects/:pseudonym/export`) and the Art. 17 erasure (`POST /api/consent/subjects/erase`,
 * admin `POST /consent/subjects/:pseudonym/erase`). Requirements H1, H2, I1, I2.
 */
import type { Core } from '@strapi/strapi';
import { eventHash } from '../../server/src/domain/event-hash';
import { adminApi, createAdminWithActions, createSuperAdmin } from '../harness/admin';
import { createApiToken } from '../harness/api-token';
import { ERASED_IDENTIFIERS, rowCounts, setupForm, shownNotices, submitConsent } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let token: string;
let superAdmin: ReturnType<typeof adminApi>;
let notices: Record<string, { version: number; hash: string }>;

// The person as typed into the form, and as the plugin normalises them (the playground is in France, so
// a national number is read as French).
const RAW_EMAIL = 'Ada.Lovelace@Example.COM';
const EMAIL = 'ada.lovelace@example.com';
const RAW_PHONE = '06 12 34 56 78';
const PHONE = '+33612345678';
const NEEDLES = [RAW_EMAIL, EMAIL, RAW_PHONE, PHONE, '0612345678', '33612345678', '612345678'];

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal', 'doi', 'sms']));
  token = await createApiToken(app.strapi, 'crm');
  superAdmin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
});
afterAll(() => replayThenStop(app));

const consent = () => app.strapi.plugin('consent');
const knex = () => app.strapi.db.connection;
const hash = (type: 'email' | 'phone', value: string): string => consent().service('subjects').hash(type, value);
// Shows every notice of the form, as the page does: a purpose shown but not ticked is recorded refused.
const submit = (subject: Record<string, string>, choices: Record<string, boolean>) =>
  submitConsent(app, subject, choices, notices, { displayed: Object.keys(notices) });
const exportBy = (query: Record<string, string>, key: string | null = token) => {
  const req = app.http().get('/api/consent/subjects/export').query(query);
  return key ? req.set('Authorization', `Bearer ${key}`) : req;
};
const erase = (body: object, key: string | null = token) => {
  const req = app.http().post('/api/consent/subjects/erase');
  return (key ? req.set('Authorization', `Bearer ${key}`) : req).send(body);
};
const check = (ref: Record<string, string>, purpose: string, channel?: string) =>
  consent().service('eligibility').check(purpose, channel, ref);
const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number(((await knex()(table).where(where).count({ n: '*' })) as { n: number | string }[])[0].n);
const everything = async () => ({
  ...(await rowCounts(app.strapi)),
  suppressions: await count('consent_suppressions'),
  confirmations: await count('consent_confirmations'),
});

// ── The database catalogue: every table, every text-like column ─────────────────────────────────────────

const TEXT_LIKE = /char|text|json|clob|enum|string/i;

/** Every table of the current database (SQLite file, PostgreSQL schema, MariaDB database) and its text-like columns. */
const catalogue = async (strapi: Core.Strapi): Promise<Map<string, string[]>> => {
  const db = strapi.db.connection;
  const columns: { table: string; column: string; type: string }[] = [];
  if (app.database.engine === 'sqlite') {
    const tables: { name: string }[] = await db.raw(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
    );
    for (const { name } of tables) {
      const info: { name: string; type: string }[] = await db.raw(`pragma table_info(${JSON.stringify(name)})`);
      columns.push(...info.map((c) => ({ table: name, column: c.name, type: c.type })));
    }
  } else if (app.database.engine === 'postgres') {
    const { rows } = await db.raw(
      `select c.table_name as "table", c.column_name as "column", c.data_type as "type"
         from information_schema.columns c join information_schema.tables t
           on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'`
    );
    columns.push(...rows);
  } else {
    const [rows] = await db.raw(
      `select c.table_name as \`table\`, c.column_name as \`column\`, c.data_type as \`type\`
         from information_schema.columns c join information_schema.tables t
           on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = database() and t.table_type = 'BASE TABLE'`
    );
    columns.push(...rows);
  }
  const out = new Map<string, string[]>();
  for (const c of columns) {
    if (!out.has(c.table)) out.set(c.table, []);
    if (TEXT_LIKE.test(c.type)) out.get(c.table)!.push(c.column);
  }
  return out;
};

/** `table.column` for every value holding one of the needles (case-insensitive). */
const search = async (needles: string[]): Promise<string[]> => {
  const lowered = needles.map((n) => n.toLowerCase());
  const hits = new Set<string>();
  for (const [table, columns] of await catalogue(app.strapi)) {
    if (columns.length === 0) continue;
    const rows: Record<string, unknown>[] = await knex()(table).select(columns);
    for (const row of rows) {
      for (const column of columns) {
        const value = row[column];
        if (value == null) continue;
        const text = (
          typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : String(value)
        ).toLowerCase();
        for (const needle of lowered) if (text.includes(needle)) hits.add(`${table}.${column}: ${needle}`);
      }
    }
  }
  return [...hits].sort();
};

// ── The person ─────────────────────────────────────────────────────────────────────────────────────────

let ada: Awaited<ReturnType<typeof submit>>;
let pseudonym: string;

beforeAll(async () => {
  // Events, a receipt, a double opt-in request (doi), consents on email, SMS and phone.
  ada = await submit(
    { email: RAW_EMAIL, phone: RAW_PHONE, audience: 'consumer' },
    { newsletter: true, doi: true, sms: true }
  );
  pseudonym = ada.receipt.piiPrincipalId;
  // A suppression entry on their number: an opposition list (Bloctel) import.
  await consent()
    .service('suppression')
    .add([
      {
        identifierHash: hash('phone', PHONE),
        identifierType: 'phone',
        channel: 'phone',
        reason: 'opposition-list',
        source: 'bloctel',
      },
    ]);
});

describe('H1, H2: the export', () => {
  it('H1, H2: one JSON document with the person, every event in order, the texts shown, receipts, states, requests, suppressions', async () => {
    const res = await exportBy({ email: RAW_EMAIL });
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.format).toBe('strapi-plugin-consent/subject-export@1');
    expect(data.controller.name).toBe('Example Shop SAS');
    expect(data.subject).toMatchObject({
      pseudonym,
      email: EMAIL,
      phone: PHONE,
      externalId: null,
      language: 'en',
      audience: 'consumer',
      jurisdiction: 'fr',
      erasedAt: null,
    });

    // Every ledger event about them, in ledger order.
    const ledger = await knex()('consent_events').where({ subject: pseudonym }).orderBy('seq', 'asc');
    expect(data.events.map((e: { eventId: string }) => e.eventId)).toEqual(
      ledger.map((e: { event_id: string }) => e.event_id)
    );
    const seqs = data.events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(
      data.events
        .map((e: { purpose: string; channel: string; action: string }) => `${e.purpose}/${e.channel}:${e.action}`)
        .sort()
    ).toEqual(
      [
        'doi/email:requested',
        'newsletter/email:granted',
        'partners/email:refused',
        // C3: the notice of the legitimate-interest purpose was shown, with the right to object.
        'postal/postal:informed',
        'sms/phone:granted',
        'sms/sms:granted',
      ].sort()
    );
    // H2: complete enough that anyone can recompute each event's hash without the plugin.
    for (const e of data.events) {
      const { notice, ...rest } = e;
      const recomputed = eventHash({
        ...rest,
        subject: pseudonym,
        noticeId: notice?.id ?? null,
        noticeVersion: notice?.version ?? null,
        noticeHash: notice?.hash ?? null,
        noticeLanguage: notice?.locale ?? null,
      });
      expect(recomputed).toBe(e.hash);
    }

    // The exact texts shown: each notice the events or the receipt refer to (postal was shown and left
    // alone: no event, but the receipt names its notice), in full.
    const shownIds = [
      ...new Set([
        ...data.events.map((e: { notice: { id: number } | null }) => e.notice?.id),
        ...data.receipts[0].receipt.purposes.map((p: { notice: { id: number } | null }) => p.notice?.id),
      ]),
    ]
      .filter(Boolean)
      .sort();
    expect(shownIds).toHaveLength(5);
    expect(data.notices.map((n: { id: number }) => n.id).sort()).toEqual(shownIds);
    for (const n of data.notices) {
      expect(n).toMatchObject({
        locale: 'en',
        status: 'published',
        title: `About ${n.purpose}`,
        body: `We use your data for ${n.purpose}.`,
        privacyPolicyUrl: 'https://shop.example/privacy',
      });
      expect(n.hash).toBe(notices[n.purpose].hash);
      expect(n.version).toBe(notices[n.purpose].version);
      expect(n.withdrawal).toEqual(expect.any(String));
      expect(n.dataCategories).toEqual(['email address']);
    }
    expect(data.notices.find((n: { purpose: string }) => n.purpose === 'partners').recipients).toEqual([
      'Partner GmbH',
    ]);

    // Receipts as signed, current states, the double opt-in request, the suppression entry.
    expect(data.receipts).toEqual([
      expect.objectContaining({ receiptId: ada.receipt.receiptId, jws: ada.receipt.jws, formKey: 'signup' }),
    ]);
    expect(data.receipts[0].receipt.piiPrincipalId).toBe(pseudonym);
    const states = Object.fromEntries(
      data.states.map((s: { purpose: string; channel: string; state: string }) => [
        `${s.purpose}/${s.channel}`,
        s.state,
      ])
    );
    expect(states).toEqual({
      'doi/email': 'pending',
      'newsletter/email': 'granted',
      'partners/email': 'refused',
      'sms/phone': 'granted',
      'sms/sms': 'granted',
    });
    expect(data.confirmations).toEqual([
      expect.objectContaining({
        tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        purposes: [expect.objectContaining({ purpose: 'doi' })],
        confirmedAt: null,
      }),
    ]);
    expect(data.suppressions).toEqual([
      expect.objectContaining({
        identifierType: 'phone',
        identifierHash: hash('phone', PHONE),
        channel: 'phone',
        reason: 'opposition-list',
        source: 'bloctel',
      }),
    ]);
    expect(data.purposes.map((p: { key: string }) => p.key).sort()).toEqual([
      'doi',
      'newsletter',
      'partners',
      'postal',
      'sms',
    ]);
  });

  it('H1: the same person by phone (any written form) or by pseudonym; the export changes nothing', async () => {
    const before = await everything();
    for (const query of [{ phone: RAW_PHONE }, { phone: PHONE }, { subject: pseudonym }] as Record<string, string>[]) {
      const res = await exportBy(query);
      expect([query, res.status, res.body.data.subject.pseudonym]).toEqual([query, 200, pseudonym]);
    }
    expect(await everything()).toEqual(before);
  });

  it('unknown person → 404; not exactly one identifier, a bad address or an unknown field → 400; no token → 403', async () => {
    expect((await exportBy({ email: 'nobody@example.com' })).status).toBe(404);
    const bad: Record<string, string>[] = [
      {},
      { email: EMAIL, phone: PHONE },
      { email: 'not an address' },
      { subject: 'nope' },
      { email: EMAIL, foo: 'x' },
    ];
    for (const query of bad) {
      const res = await exportBy(query);
      expect([query, res.status, res.body.error?.name]).toEqual([query, 400, 'ValidationError']);
    }
    expect((await exportBy({ email: 'not an address' })).body.error.details.errors[0].path).toEqual(['email']);
    expect((await exportBy({ email: EMAIL }, null)).status).toBe(403);
  });

  it('H1: admins export by pseudonym with records.export; without it → 403', async () => {
    const res = await superAdmin.get(`/consent/subjects/${pseudonym}/export`);
    expect(res.status).toBe(200);
    expect(res.body.data.subject).toMatchObject({ pseudonym, email: EMAIL });

    const reader = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'reader@consent.test', [
        'plugin::consent.records.read',
        'plugin::consent.subjects.erase',
      ])
    );
    expect((await reader.get(`/consent/subjects/${pseudonym}/export`)).status).toBe(403);
    const exporter = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'exporter@consent.test', ['plugin::consent.records.export'])
    );
    expect((await exporter.get(`/consent/subjects/${pseudonym}/export`)).status).toBe(200);
    expect((await exporter.get('/consent/subjects/00000000-0000-4000-8000-000000000000/export')).status).toBe(404);
    expect((await exporter.get('/consent/subjects/not-a-uuid/export')).status).toBe(400);
  });
});

describe('I1, I2: erasure', () => {
  let first: { status: string; erasedAt: string };

  it('I1, I2: no table or text column holds the email or the phone afterwards, in any form; the ledger still verifies', async () => {
    // The search does find them while they are on file.
    expect(await search(NEEDLES)).toEqual(
      expect.arrayContaining([`consent_subjects.email: ${EMAIL}`, `consent_subjects.phone: ${PHONE.toLowerCase()}`])
    );
    const hashes = [hash('email', EMAIL), hash('phone', PHONE)];
    const throttled = () => knex()('consent_rate_limits').where('bucket', 'like', `%:${hashes[0].slice(0, 40)}:%`);
    expect((await throttled()).length).toBeGreaterThan(0);
    const before = await everything();
    const heard: unknown[] = [];
    const listener = async (payload: unknown) => {
      heard.push(payload);
    };
    app.strapi.eventHub.on('consent.erasure', listener);
    const logged = jest.spyOn(app.strapi.log, 'info');

    const res = await erase({ email: RAW_EMAIL });
    app.strapi.eventHub.off('consent.erasure', listener);
    expect(res.status).toBe(200);
    first = res.body.data;
    expect(first).toEqual({ status: 'erased', erasedAt: expect.any(String) });

    // Every table of the database, every text-like column: no trace, raw, normalised or E.164.
    const tables = await catalogue(app.strapi);
    expect(tables.get('consent_subjects')).toEqual(expect.arrayContaining(['email', 'phone', 'email_hash']));
    expect(tables.get('consent_events')).toEqual(expect.arrayContaining(['evidence', 'context']));
    expect(tables.size).toBeGreaterThan(20);
    expect(await search(NEEDLES)).toEqual([]);
    // Nor their keyed hashes, except on the suppression entries that keep honouring the erasure (nor the
    // rate-limit counters keyed by them).
    expect((await search(hashes)).filter((hit) => !hit.startsWith('consent_suppressions.'))).toEqual([]);
    expect(await throttled()).toEqual([]);

    // The ledger grew by the erasure's own events, and its chain still verifies.
    expect(await count('consent_events')).toBe(before.events + 5);
    expect(await consent().service('ledger').verify()).toMatchObject({
      ok: true,
      checked: before.events + 5,
      pruned: 0,
      firstBadEvent: null,
    });

    // Kept: the pseudonymous subject, its ledger and receipt; gone: identifiers, hashes, profile, requests.
    const row = await knex()('consent_subjects').where({ pseudonym }).first();
    expect(row).toMatchObject({
      ...ERASED_IDENTIFIERS,
      language: null,
      audience: null,
    });
    expect(new Date(row.erased_at).toISOString()).toBe(first.erasedAt);
    expect(await count('consent_receipts', { subject: pseudonym })).toBe(1);
    expect(await count('consent_confirmations', { subject: pseudonym })).toBe(0);

    // The ledger says they left, without personal content.
    const events = await knex()('consent_events')
      .where({ subject: pseudonym })
      .where('seq', '>', before.events)
      .orderBy('seq');
    expect(
      events
        .map((e: { purpose: string; channel: string; action: string }) => `${e.purpose}/${e.channel}:${e.action}`)
        .sort()
    ).toEqual(
      [
        'doi/email:withdrawn',
        'newsletter/email:withdrawn',
        'sms/phone:withdrawn',
        'sms/sms:withdrawn',
        'postal/postal:objected',
      ].sort()
    );
    for (const e of events) {
      expect(e.method).toBe('api');
      expect(e.actor).toMatch(/^api-token:\d+$/);
      expect(typeof e.evidence === 'string' ? JSON.parse(e.evidence) : e.evidence).toEqual({ erasure: true });
    }

    // Suppression: an erasure entry per identifier on every channel; the opposition list entry stays.
    const entries = await knex()('consent_suppressions').whereIn('identifier_hash', hashes).orderBy('id');
    expect(
      entries
        .map(
          (e: { identifier_type: string; channel: string; reason: string }) =>
            `${e.identifier_type}:${e.channel}:${e.reason}`
        )
        .sort()
    ).toEqual(['email:all:erasure', 'phone:all:erasure', 'phone:phone:opposition-list'].sort());

    // Logged and announced: the log by pseudonym only; the in-process event with the identifiers, for
    // code that passes the erasure on to other systems.
    const lines = logged.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('erased'));
    logged.mockRestore();
    expect(lines).toEqual([expect.stringContaining(pseudonym)]);
    for (const needle of NEEDLES) expect(lines[0].toLowerCase()).not.toContain(needle.toLowerCase());
    expect(heard).toEqual([{ subject: { id: pseudonym, email: EMAIL, phone: PHONE }, erasedAt: first.erasedAt }]);
  });

  it('I1/C7: erasure deletes the person’s relationships (a contract reference may identify them); other people’s stay', async () => {
    const relationships = consent().service('relationships');
    const kim = await relationships.upsertMany(
      [
        { subject: { email: 'kim.lee@example.com' }, reference: 'CUST-kim.lee', startedAt: '2026-01-05T09:00:00Z' },
        { subject: { email: 'kim.lee@example.com' }, reference: 'ORD-2002', startedAt: '2026-02-05T09:00:00Z' },
      ],
      'api'
    );
    const [other] = await relationships.upsertMany(
      [{ subject: { email: 'lou@example.com' }, reference: 'ORD-2003', startedAt: '2026-02-05T09:00:00Z' }],
      'api'
    );
    expect(await count('consent_relationships', { subject: kim[0].subject })).toBe(2);

    const res = await erase({ email: 'kim.lee@example.com' });
    expect(res.status).toBe(200);
    expect(await count('consent_relationships', { subject: kim[0].subject })).toBe(0);
    expect(await search(['CUST-kim.lee', 'kim.lee@example.com'])).toEqual([]);
    expect(await count('consent_relationships', { subject: other.subject })).toBe(1);
  });

  it('I1: erasing again answers the same and writes nothing (by the old address, by pseudonym, by an admin)', async () => {
    const before = await everything();
    for (const body of [{ email: RAW_EMAIL }, { phone: RAW_PHONE }, { subject: pseudonym }]) {
      const res = await erase(body);
      expect([body, res.status, res.body.data]).toEqual([body, 200, first]);
    }
    const res = await superAdmin.post(`/consent/subjects/${pseudonym}/erase`);
    expect([res.status, res.body.data]).toEqual([200, first]);
    expect(await everything()).toEqual(before);
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  });

  it('I2: the old address and number are not eligible afterwards (suppressed), for every purpose; nobody is found under them', async () => {
    for (const [ref, purpose, channel] of [
      [{ email: RAW_EMAIL }, 'newsletter', 'email'],
      [{ email: EMAIL }, 'postal', 'postal'],
      [{ phone: RAW_PHONE }, 'sms', 'sms'],
      [{ phone: PHONE }, 'sms', 'phone'],
    ] as const) {
      const answer = await check(ref, purpose, channel);
      expect([ref, purpose, answer.eligible, answer.reasons]).toEqual([
        ref,
        purpose,
        false,
        expect.arrayContaining(['suppressed']),
      ]);
    }
    expect((await exportBy({ email: EMAIL })).status).toBe(404);
    // The pseudonymous proof stays readable by pseudonym: no identifier, the erasure on record.
    const res = await exportBy({ subject: pseudonym });
    expect(res.body.data.subject).toMatchObject({
      pseudonym,
      email: null,
      phone: null,
      language: null,
      audience: null,
      erasedAt: first.erasedAt,
    });
    expect(res.body.data.suppressions).toEqual([]);
    expect(res.body.data.confirmations).toEqual([]);
    expect(res.body.data.receipts).toHaveLength(1);
  });

  it('I1: old unsubscribe and preference links of an erased person answer 410 and change nothing', async () => {
    const links = consent().service('links').forSubject(pseudonym, 'newsletter', 'email');
    const before = await count('consent_events');
    const preferences = new URL(links.preferencesUrl).pathname;
    expect((await app.http().get(preferences)).status).toBe(410);
    expect(
      (
        await app
          .http()
          .put(preferences)
          .send({ choices: { newsletter: false } })
      ).status
    ).toBe(410);
    const unsubscribe = new URL(links.unsubscribeUrl).pathname;
    expect((await app.http().post(unsubscribe).type('form').send('List-Unsubscribe=One-Click')).status).toBe(410);
    expect(await count('consent_events')).toBe(before);
  });

  it('I1: a new, freely given opt-in after erasure is a new consent: a new subject, eligible for that purpose only', async () => {
    await new Promise((r) => setTimeout(r, 5));
    const again = await submit({ email: RAW_EMAIL }, { newsletter: true });
    expect(again.receipt.piiPrincipalId).not.toBe(pseudonym);
    expect(await check({ email: EMAIL }, 'newsletter')).toMatchObject({
      eligible: true,
      state: 'granted',
      reasons: [],
    });
    // Not a way back into what they left: other purposes stay blocked by the erasure entry.
    expect(await check({ email: EMAIL }, 'partners')).toMatchObject({
      eligible: false,
      reasons: ['refused', 'suppressed'],
    });
    expect(await check({ email: EMAIL }, 'postal')).toMatchObject({ eligible: false, reasons: ['suppressed'] });
    expect(await check({ phone: PHONE }, 'sms', 'sms')).toMatchObject({
      eligible: false,
      reasons: expect.arrayContaining(['suppressed']),
    });
    // The erased subject stays erased.
    expect(await knex()('consent_subjects').where({ pseudonym }).first()).toMatchObject({ email: null });
  });

  it('I1: only a grant given after the erasure lifts it: an imported one dated before does not', async () => {
    const proof = {
      formVersion: 'v1',
      timestamp: new Date(Date.now() - 86_400_000).toISOString(),
      recipients: ['Example Shop SAS'],
      uiEvidence: 'ref-1',
    };
    const imported = await app
      .http()
      .post('/api/consent/events')
      .set('Authorization', `Bearer ${token}`)
      .send({
        source: { type: 'first-party', name: 'Call centre' },
        events: [
          {
            subject: { phone: RAW_PHONE },
            purpose: 'sms',
            channel: 'sms',
            action: 'granted',
            occurredAt: proof.timestamp,
            method: 'import',
            proof,
          },
        ],
      });
    expect(imported.body.data.events[0]).toMatchObject({ status: 'recorded', state: 'granted' });
    expect(await check({ phone: PHONE }, 'sms', 'sms')).toMatchObject({
      eligible: false,
      state: 'granted',
      reasons: ['suppressed'],
    });
  });

  it('I1: admins erase by pseudonym with subjects.erase (method admin, the admin as actor); without it → 403', async () => {
    const grace = (await submit({ email: 'grace@example.com' }, { newsletter: true })).receipt.piiPrincipalId;
    const before = await everything();
    const exporter = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'records@consent.test', [
        'plugin::consent.records.read',
        'plugin::consent.records.export',
      ])
    );
    expect((await exporter.post(`/consent/subjects/${grace}/erase`)).status).toBe(403);
    expect(await everything()).toEqual(before);

    const eraser = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'eraser@consent.test', ['plugin::consent.subjects.erase'])
    );
    const res = await eraser.post(`/consent/subjects/${grace}/erase`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ status: 'erased', erasedAt: expect.any(String) });
    const events = await knex()('consent_events').where({ subject: grace, method: 'admin' });
    expect(events.map((e: { action: string }) => e.action).sort()).toEqual(['objected', 'withdrawn']);
    for (const e of events) expect(e.actor).toMatch(/^admin:\d+$/);
    expect(await knex()('consent_subjects').where({ pseudonym: grace }).first()).toMatchObject({
      email: null,
      email_hash: null,
    });
    expect((await eraser.post('/consent/subjects/00000000-0000-4000-8000-000000000000/erase')).status).toBe(404);
  });

  it('nobody under the identifier → 404, a bad body → 400, no token → 403: nothing written', async () => {
    const before = await everything();
    expect((await erase({ email: 'nobody@example.com' })).status).toBe(404);
    for (const body of [
      {},
      { email: EMAIL, phone: PHONE },
      { email: 42 },
      { email: 'x' },
      { subject: 'x' },
      { email: EMAIL, why: 'x' },
    ]) {
      const res = await erase(body);
      expect([body, res.status]).toEqual([body, 400]);
    }
    expect((await erase({ email: 'grace@example.com' }, null)).status).toBe(403);
    expect(await everything()).toEqual(before);
  });
});
