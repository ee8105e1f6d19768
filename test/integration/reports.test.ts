/**
 * The compliance report (issue 22 part 1; R1–R4): `POST /consent/reports` over a seeded period, its numbers
 * checked against the ledger counted here, its JWS verified with `jose` and the JWK set, its PDF read back
 * with a text extractor (test/harness/pdf-text.ts), the offline verifier run on it, bad input refused with
 * nothing stored, RBAC, and reports that cannot be changed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { PERMISSIONS } from '../../server/src/constants';
import { reportHash } from '../../server/src/domain/report-rules';
import { adminApi, createAdminWithActions, createSuperAdmin } from '../harness/admin';
import {
  publishNotice,
  setupForm,
  shownNotices,
  submitConsent,
  withdrawConsent,
  type Notices,
} from '../harness/consent-setup';
import { consentEvent } from '../harness/fixtures';
import { replayThenStop } from '../harness/ledger-replay';
import { pdfText } from '../harness/pdf-text';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

const CLI = path.resolve(__dirname, '../harness/verify-cli.js');
const DAY_MS = 86_400_000;
const REPORT_UID = 'plugin::consent.report';

let app: TestStrapi;
let admin: ReturnType<typeof adminApi>;
let dir: string;
let jwks: { keys: object[] };

const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const at = (offset: number, hour = 12) => new Date(`${day(offset)}T${String(hour).padStart(2, '0')}:00:00.000Z`);
const service = (name: string) => app.strapi.plugin('consent').service(name);
const reportRows = async () =>
  Number(((await app.strapi.db.connection('consent_reports').count({ n: '*' })) as Array<{ n: number }>)[0].n);

/** The ledger's events of `purpose` in [since, until), counted here by action from the rows themselves. */
const ledgerCounts = async (purpose: string, since: Date, until: Date) => {
  const rows: Array<{ action: string; occurredAt: string | Date; evidence: Record<string, unknown> | null }> =
    await app.strapi.db
      .query('plugin::consent.consent-event')
      .findMany({ select: ['action', 'occurredAt', 'evidence'], where: { purpose } });
  const inside = rows.filter((r) => new Date(r.occurredAt) >= since && new Date(r.occurredAt) < until);
  const byAction: Record<string, number> = {};
  for (const r of inside) byAction[r.action] = (byAction[r.action] ?? 0) + 1;
  return { byAction, erasures: inside.filter((r) => r.evidence?.erasure === true).length, total: inside.length };
};

const generate = async (body: object) => {
  const res = await admin.post('/consent/reports', body);
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data.id as string;
};

const pdfOf = async (api: ReturnType<typeof adminApi>, id: string) =>
  api
    .get(`/consent/reports/${id}/pdf`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });

const runVerify = (file: string, extra: string[]) => {
  const r = spawnSync(process.execPath, [CLI, 'verify', file, ...extra], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  app = await bootStrapi({
    pluginConfig: {
      reports: { maxSpanDays: 31, sampleSize: 3 },
      controller: { name: 'Shop GmbH', address: 'Hauptstr. 1, Berlin', contact: 'privacy@shop.example' },
    },
  });
  const notices: Notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal']));
  admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));

  // Today: real submissions (with signed receipts), a withdrawal and an erasure.
  await submitConsent(app, { email: 'ada@example.com' }, { newsletter: true, partners: false }, notices);
  const bob = (
    await submitConsent(app, { email: 'bob@example.com' }, { newsletter: true, partners: true, postal: true }, notices)
  ).receipt.piiPrincipalId;
  await withdrawConsent(app, 'ada@example.com', ['newsletter']);
  expect((await admin.post(`/consent/subjects/${bob}/erase`)).status).toBe(200);
  // A material new version of the newsletter notice retires the first one today: both were in force.
  await publishNotice(app.strapi, 'newsletter', 'en', 'About the newsletter, v2', { material: true });

  // Earlier days: double opt-in requests and confirmations, an objection and an expiry by the jobs inside
  // the period; events outside it on both sides.
  const ledger = service('ledger');
  await ledger.append([
    consentEvent({
      subject: 'p-1',
      action: 'requested',
      state: 'pending',
      method: 'double-opt-in',
      occurredAt: at(-20),
    }),
    consentEvent({ subject: 'p-1', action: 'requested', state: 'pending', occurredAt: at(-5, 9) }),
    consentEvent({ subject: 'p-2', action: 'requested', state: 'pending', occurredAt: at(-5, 10) }),
    consentEvent({ subject: 'p-3', action: 'requested', state: 'pending', occurredAt: at(-5, 11) }),
    consentEvent({ subject: 'p-3', action: 'refused', state: 'refused', occurredAt: at(-4, 11) }),
    consentEvent({
      subject: 'p-1',
      action: 'confirmed',
      state: 'granted',
      method: 'double-opt-in',
      occurredAt: at(-5, 12),
    }),
    consentEvent({
      subject: 'p-2',
      action: 'confirmed',
      state: 'granted',
      method: 'double-opt-in',
      occurredAt: at(-4, 12),
    }),
    consentEvent({
      subject: 'p-2',
      action: 'expired',
      state: 'expired',
      method: 'api',
      actor: 'system',
      occurredAt: at(-3, 3),
    }),
    consentEvent({
      subject: 'p-4',
      purpose: 'postal',
      channel: 'postal',
      action: 'objected',
      state: 'objected',
      legalBasis: 'legitimate-interest',
      occurredAt: at(-3),
    }),
    // The first second of the day after the period: outside it.
    consentEvent({
      subject: 'p-5',
      action: 'granted',
      state: 'granted',
      occurredAt: new Date(`${day(-2)}T00:00:00.000Z`),
    }),
  ]);
  await service('suppression').add([
    {
      identifierHash: 'a'.repeat(64),
      identifierType: 'phone',
      channel: 'phone',
      reason: 'opposition-list',
      source: 'bloctel',
    },
    {
      identifierHash: 'b'.repeat(64),
      identifierType: 'phone',
      channel: 'phone',
      reason: 'opposition-list',
      source: 'bloctel',
    },
  ]);

  dir = mkdtempSync(path.join(tmpdir(), 'consent-report-'));
  jwks = JSON.parse((await app.http().get('/api/consent/jwks.json')).text);
  writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify(jwks));
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await replayThenStop(app);
});

describe('POST /consent/reports, then GET /consent/reports/:id', () => {
  let id: string;
  let data: { id: string; report: any; jws: string };
  const from = day(-6);
  const to = day(0);

  beforeAll(async () => {
    id = await generate({ from, to, purposes: ['newsletter', 'postal'] });
    const res = await admin.get(`/consent/reports/${id}`);
    expect(res.status).toBe(200);
    data = res.body.data;
  });

  it("R1: each purpose's counts are the ledger's own for the period, counted here", async () => {
    const since = new Date(`${from}T00:00:00.000Z`);
    const until = new Date(new Date(`${to}T00:00:00.000Z`).getTime() + DAY_MS);
    expect(data.report.period).toEqual({ from, to, since: since.toISOString(), until: until.toISOString(), days: 7 });
    for (const purpose of ['newsletter', 'postal']) {
      const counted = await ledgerCounts(purpose, since, until);
      const reported = data.report.purposes.find((p: any) => p.key === purpose);
      expect(reported.counts.byAction).toEqual(counted.byAction);
      for (const action of ['granted', 'refused', 'confirmed', 'withdrawn', 'objected', 'expired']) {
        expect([purpose, action, reported.counts[action]]).toEqual([purpose, action, counted.byAction[action] ?? 0]);
      }
      expect(reported.counts.erasures).toBe(counted.erasures);
      expect(reported.sample.eventsInPeriod).toBe(counted.total);
    }
    const newsletter = data.report.purposes.find((p: any) => p.key === 'newsletter');
    // Seeded: three requests and two confirmations in the period (the fourth request is before it).
    expect(newsletter.doubleOptInConfirmation).toEqual({ requested: 3, confirmed: 2, rate: 0.6667 });
    // Bob's erasure withdrew his newsletter grant: one erasure, also counted as a withdrawal.
    expect(newsletter.counts.erasures).toBe(1);
    expect(newsletter.counts.withdrawn).toBe(2);
    expect(newsletter.counts.expired).toBe(1);
    const postal = data.report.purposes.find((p: any) => p.key === 'postal');
    expect(postal).toMatchObject({
      legalBasis: 'legitimate-interest',
      mechanism: 'opt-out',
      balancingTest: 'LIA-2026-01',
    });
    // p-4's objection and Bob's own (an LI box ticked is an objection); his erasure found nothing left to object to.
    expect(postal.counts).toMatchObject({ objected: 2, erasures: 0 });
  });

  it('R1: the notice versions in force, with full text, hash, dates and material flag', async () => {
    const newsletter = data.report.purposes.find((p: any) => p.key === 'newsletter');
    const rows = await app.strapi.db
      .query('plugin::consent.notice')
      .findMany({ where: { purpose: 'newsletter' }, orderBy: { version: 'asc' } });
    expect(newsletter.notices).toEqual(
      rows.map((n: any) =>
        expect.objectContaining({
          id: n.id,
          version: n.version,
          language: 'en',
          title: n.title,
          body: n.body,
          hash: n.contentHash,
          material: n.material,
          publishedAt: new Date(n.effectiveAt).toISOString(),
          retiredAt: n.retiredAt ? new Date(n.retiredAt).toISOString() : null,
        })
      )
    );
    expect(newsletter.notices.map((n: any) => [n.version, n.material, n.retiredAt === null])).toEqual([
      [1, false, false],
      [2, true, true],
    ]);
  });

  it('R1: a sample of proofs, each a ledger event with the receipt that covers it', async () => {
    const newsletter = data.report.purposes.find((p: any) => p.key === 'newsletter');
    expect(newsletter.sample.proofs).toHaveLength(3);
    for (const { event, receipt } of newsletter.sample.proofs) {
      const row = await app.strapi.db
        .query('plugin::consent.consent-event')
        .findOne({ where: { eventId: event.eventId } });
      expect([event.seq, event.hash, event.purpose]).toEqual([Number(row.seq), row.hash, 'newsletter']);
      if (event.receiptId) {
        const stored = await app.strapi.db
          .query('plugin::consent.receipt')
          .findOne({ where: { receiptId: event.receiptId } });
        expect(receipt).toBe(stored.jws);
      } else expect(receipt).toBeNull();
    }
  });

  it('R1, J1: the whole ledger verified, its head and the replay; imports, retention, Art. 30 record', async () => {
    const head = await service('ledger').head();
    expect(data.report.ledger).toEqual({
      head,
      verification: { ok: true, checked: head.seq, pruned: 0, firstBadEvent: null },
      replay: { ok: true, checked: expect.any(Number), mismatches: 0 },
    });
    expect(data.report.suppressions.groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'opposition-list', source: 'bloctel', channel: 'phone', entries: 2 }),
        expect.objectContaining({ reason: 'erasure', entries: expect.any(Number) }),
      ])
    );
    expect(data.report.retention).toMatchObject({
      settings: {
        prospectMonths: 36,
        suppressionMinMonths: 36,
        proofYears: 5,
        messageAddressDays: 30,
        webhookDeliveredDays: 7,
        webhookFailedDays: 90,
        consentLifetimeDays: { newsletter: 365, postal: null },
      },
      runsRecorded: false,
      ledgerTraces: { systemExpiriesInPeriod: 1, lastSystemExpiryInPeriod: at(-3, 3).toISOString() },
    });
    expect(data.report.retention.jobs.map((j: any) => j.name)).toContain('consent:consent-expiry');
    const record = data.report.processingRecord;
    expect(record.controller).toEqual({
      name: 'Shop GmbH',
      address: 'Hauptstr. 1, Berlin',
      contact: 'privacy@shop.example',
    });
    // Every purpose of the catalogue, not only the report's.
    expect(record.activities.map((a: any) => a.purpose).sort()).toEqual(['newsletter', 'partners', 'postal']);
    expect(record.activities.find((a: any) => a.purpose === 'partners')).toMatchObject({
      legalBasis: 'Consent, GDPR Art. 6(1)(a)',
      dataCategories: ['email address'],
      recipients: ['Partner GmbH'],
    });
  });

  it('R3: the JWS verifies with the JWK set (jose) and its payload is the report', async () => {
    const { payload } = await compactVerify(data.jws, createLocalJWKSet(jwks as never));
    const text = new TextDecoder().decode(payload);
    expect(JSON.parse(text)).toEqual(data.report);
    expect(decodeProtectedHeader(data.jws)).toMatchObject({ alg: 'EdDSA', typ: 'consent-report+jwt' });
    const list = await admin.get('/consent/reports');
    expect(list.status).toBe(200);
    expect(list.body.meta.purposes.map((p: { key: string }) => p.key).sort()).toEqual([
      'newsletter',
      'partners',
      'postal',
    ]);
    expect(list.body.data[0]).toEqual({
      id,
      from,
      to,
      purposes: ['newsletter', 'postal'],
      hash: reportHash(text),
      generatedAt: expect.any(String),
      generatedBy: expect.stringMatching(/^admin:\d+$/),
    });
  });

  it("R3: the PDF is a PDF, states the JSON's SHA-256 and how to verify it, and holds the numbers", async () => {
    const res = await pdfOf(admin, id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    // To look at it (pdftoppm, a browser): CONSENT_REPORT_PDF=/tmp/report.pdf npx jest test/integration/reports.test.ts
    if (process.env.CONSENT_REPORT_PDF) writeFileSync(process.env.CONSENT_REPORT_PDF, pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const hash = reportHash(
      new TextDecoder().decode((await compactVerify(data.jws, createLocalJWKSet(jwks as never))).payload)
    );
    const text = pdfText(pdf);
    expect(text).toContain(hash);
    expect(text).toContain('npx strapi-plugin-consent verify report.json --jwks jwks.json');
    expect(text).toContain('/api/consent/jwks.json');
    expect(text).toContain(`Period: ${from} to ${to}`);
    expect(text).toContain('Double opt-in confirmation rate: 66.7 % (2 confirmations / 3 requests)');
    expect(text).toContain('Record of processing activities (GDPR Art. 30)');
    expect(text).toContain('Hauptstr. 1, Berlin');
    expect(text).toContain('About the newsletter, v2');
    expect(text).toContain('messageAddressDays: 30');
    expect(text).toContain('webhookFailedDays: 90');
    expect(text).toMatch(/page 1 of \d+/);
  });

  it('R3: the offline verifier accepts the report and refuses it edited', async () => {
    const jwksFile = path.join(dir, 'jwks.json');
    const file = path.join(dir, 'report.json');
    writeFileSync(file, JSON.stringify({ data }, null, 2));
    const ok = runVerify(file, ['--jwks', jwksFile]);
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
    expect(ok.stdout).toContain(`compliance report ${id}, ${from} to ${to}`);
    expect(ok.stdout).toContain(`SHA-256 of the signed JSON: ${reportHash(JSON.stringify(data.report))}`);

    const edited = structuredClone(data);
    edited.report.purposes[0].counts.withdrawn = 0;
    writeFileSync(file, JSON.stringify(edited));
    const bad = runVerify(file, ['--jwks', jwksFile]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('differs from the signed report');

    // A signature over an edited payload: the JWS itself no longer verifies.
    const [header, , signature] = data.jws.split('.');
    const forged = {
      ...data,
      report: edited.report,
      jws: `${header}.${Buffer.from(JSON.stringify(edited.report)).toString('base64url')}.${signature}`,
    };
    writeFileSync(file, JSON.stringify(forged));
    const forgedRun = runVerify(file, ['--jwks', jwksFile]);
    expect(forgedRun.status).toBe(1);
    expect(forgedRun.stderr).toContain('signature does not verify');

    // Without the key set there is nothing to check a report against.
    writeFileSync(file, JSON.stringify({ data }));
    expect(runVerify(file, []).status).toBe(2);
  });

  it('R1: a period before the notices were published has none in force and counts only its own events', async () => {
    const old = await generate({ from: day(-21), to: day(-19), purposes: ['newsletter'] });
    const { report } = (await admin.get(`/consent/reports/${old}`)).body.data;
    const [newsletter] = report.purposes;
    expect(newsletter.notices).toEqual([]);
    expect(newsletter.counts.byAction).toEqual({ requested: 1 });
    expect(newsletter.doubleOptInConfirmation).toEqual({ requested: 1, confirmed: 0, rate: 0 });
    expect(newsletter.sample.proofs).toHaveLength(1);
  });
});

describe('R4: bad input is a 400 naming the field, and nothing is stored', () => {
  it.each([
    ['end before start', { from: day(-1), to: day(-3), purposes: ['newsletter'] }, 'to', /to must not be before from/],
    [
      'over reports.maxSpanDays',
      { from: day(-40), to: day(0), purposes: ['newsletter'] },
      'to',
      /spans 41 days; a report covers at most 31 \(reports.maxSpanDays\)/,
    ],
    [
      'unknown purpose',
      { from: day(-3), to: day(0), purposes: ['newsletter', 'nope'] },
      'purposes',
      /unknown purpose\(s\): nope/,
    ],
    ['not a day', { from: '2026-02-31', to: day(0), purposes: ['newsletter'] }, 'from', /YYYY-MM-DD/],
    ['a time, not a day', { from: `${day(-1)}T00:00:00Z`, to: day(0), purposes: ['newsletter'] }, 'from', /YYYY-MM-DD/],
    ['in the future', { from: day(3), to: day(4), purposes: ['newsletter'] }, 'from', /future/],
    ['no purpose', { from: day(-1), to: day(0), purposes: [] }, 'purposes', /at least one purpose/],
    ['purposes twice', { from: day(-1), to: day(0), purposes: ['newsletter', 'newsletter'] }, 'purposes', /twice/],
    ['missing to', { from: day(-1), purposes: ['newsletter'] }, 'to', /required/],
    ['unknown field', { from: day(-1), to: day(0), purposes: ['newsletter'], format: 'pdf' }, null, /unknown field/],
  ])('%s', async (_name, body, field, message) => {
    const before = await reportRows();
    const res = await admin.post('/consent/reports', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    if (field) expect(res.body.error.details.errors[0].path).toEqual([field]);
    expect(await reportRows()).toBe(before);
  });

  it('an unknown or malformed report id is a 404 or a 400', async () => {
    expect((await admin.get('/consent/reports/7d5b3c1e-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await admin.get('/consent/reports/1%20or%201=1/pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['id']);
  });
});

describe('RBAC: reports.manage', () => {
  it('a role with every other action of the plugin gets 403 on every report route, and nothing is stored', async () => {
    const id = await generate({ from: day(-1), to: day(0), purposes: ['partners'] });
    const others = Object.values(PERMISSIONS)
      .filter((a) => a !== PERMISSIONS.reportsManage)
      .map((a) => `plugin::consent.${a}`);
    const api = adminApi(app.strapi, await createAdminWithActions(app.strapi, 'no-reports@consent.test', others));
    const before = await reportRows();
    expect((await api.post('/consent/reports', { from: day(-1), to: day(0), purposes: ['partners'] })).status).toBe(
      403
    );
    expect((await api.get('/consent/reports')).status).toBe(403);
    expect((await api.get(`/consent/reports/${id}`)).status).toBe(403);
    expect((await pdfOf(api, id)).status).toBe(403);
    expect(await reportRows()).toBe(before);
  });

  it('a role with only reports.manage generates, lists, reads and downloads', async () => {
    const api = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'reports-only@consent.test', ['plugin::consent.reports.manage'])
    );
    const created = await api.post('/consent/reports', { from: day(-1), to: day(0), purposes: ['partners'] });
    expect(created.status).toBe(201);
    expect((await api.get('/consent/reports')).status).toBe(200);
    expect((await api.get(`/consent/reports/${created.body.data.id}`)).status).toBe(200);
    expect((await pdfOf(api, created.body.data.id)).status).toBe(200);
  });
});

describe('R3: reports are never changed', () => {
  it('the query engine (under every Strapi path) refuses updates and deletes; the admin API has no such route', async () => {
    const id = await generate({ from: day(-2), to: day(0), purposes: ['newsletter'] });
    const before = await app.strapi.db.query(REPORT_UID).findOne({ where: { reportId: id } });
    await expect(
      app.strapi.db.query(REPORT_UID).update({ where: { id: before.id }, data: { body: '{}' } })
    ).rejects.toThrow(/cannot be updated or deleted/);
    await expect(app.strapi.db.query(REPORT_UID).delete({ where: { id: before.id } })).rejects.toThrow(
      /cannot be updated or deleted/
    );
    await expect(app.strapi.db.query(REPORT_UID).deleteMany({ where: {} })).rejects.toThrow(
      /cannot be updated or deleted/
    );
    expect([404, 405]).toContain((await admin.put(`/consent/reports/${id}`, { from: day(-1) })).status);
    expect([404, 405]).toContain((await admin.del(`/consent/reports/${id}`)).status);
    expect(await app.strapi.db.query(REPORT_UID).findOne({ where: { reportId: id } })).toEqual(before);
  });
});
