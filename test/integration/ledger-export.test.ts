/**
 * Verifying the proof without the server (issue 22, part 2): `GET /consent/events/export?format=ndjson`
 * exports the ledger, or one person's events, with every hashed field and receipt, and the package's
 * command `strapi-plugin-consent verify` checks it with nothing but the file and the JWK set. The command
 * runs in a child process from the TypeScript sources (test/harness/verify-cli.js: the bin's own `run()`,
 * compiled as jest compiles it), so no build is needed; scripts/tarball-smoke.mjs runs the built bin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LEDGER_EXPORT_FORMAT } from '../../shared/contracts/records';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { setupForm, shownNotices, submitConsent, withdrawConsent, type Notices } from '../harness/consent-setup';
import { eventHash } from '../../server/src/domain/event-hash';
import { consentEvent } from '../harness/fixtures';
import { EXPORTED_EVENT_FIELDS } from '../harness/ledger-format';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

const CLI = path.resolve(__dirname, '../harness/verify-cli.js');

let app: TestStrapi;
let admin: ReturnType<typeof adminApi>;
let dir: string;
let jwksFile: string;
let ada: string;

const ledger = () => app.strapi.plugin('consent').service('ledger');

const exportText = async (query: Record<string, string>) => {
  const res = await admin
    .get('/consent/events/export')
    .query(query)
    .buffer(true)
    .parse((r, cb) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString('utf8')));
      r.on('end', () => cb(null, text));
    });
  expect(res.status).toBe(200);
  return { text: res.body as string, headers: res.headers };
};

let files = 0;
/** Runs the command on `lines` (written as a file); its exit code and output. */
const verify = (lines: string[], extra: string[] = ['--jwks', jwksFile]) => {
  const file = path.join(dir, `export-${(files += 1)}.ndjson`);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  const r = spawnSync(process.execPath, [CLI, 'verify', file, ...extra], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

const linesOf = (text: string) => text.split('\n').filter((l) => l !== '');

beforeAll(async () => {
  app = await bootStrapi();
  const notices: Notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal']));
  admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  ada = (await submitConsent(app, { email: 'ada@example.com' }, { newsletter: true, partners: false }, notices)).receipt
    .piiPrincipalId;
  await submitConsent(app, { email: 'bob@example.com' }, { newsletter: true, partners: true, postal: true }, notices);
  await withdrawConsent(app, 'ada@example.com', ['newsletter']);
  await submitConsent(app, { email: 'ada@example.com' }, { partners: true }, notices);
  await withdrawConsent(app, 'bob@example.com', 'all');

  dir = mkdtempSync(path.join(tmpdir(), 'consent-verify-'));
  jwksFile = path.join(dir, 'jwks.json');
  writeFileSync(jwksFile, (await app.http().get('/api/consent/jwks.json')).text);
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await app?.stop();
});

describe('GET /consent/events/export?format=ndjson', () => {
  it('J1, J3: a header with the head, then every event with its hashed fields, hash and receipt', async () => {
    const { text, headers } = await exportText({ format: 'ndjson' });
    expect(headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(headers['content-disposition']).toMatch(/^attachment; filename="consent-ledger-\d{4}-\d{2}-\d{2}\.ndjson"$/);
    expect(headers['cache-control']).toBe('no-store');
    const [header, ...events] = linesOf(text).map((l) => JSON.parse(l));
    const head = await ledger().head();
    // No verification has run yet, so no checkpoint (the field is there all the same).
    expect(header).toEqual({
      format: LEDGER_EXPORT_FORMAT,
      exportedAt: expect.any(String),
      head,
      filter: null,
      checkpoints: [],
    });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: head.seq }, (_, i) => i + 1));
    // The stored receipts, each on the events that name it.
    const receipts: Array<{ receiptId: string; jws: string }> = await app.strapi.db
      .query('plugin::consent.receipt')
      .findMany({ select: ['receiptId', 'jws'] });
    expect(receipts.length).toBe(3);
    for (const r of receipts) {
      const named = events.filter((e) => e.receiptId === r.receiptId);
      expect(named.length).toBeGreaterThan(0);
      expect(named.every((e) => e.receipt === r.jws)).toBe(true);
    }
    expect(events.filter((e) => e.receiptId === null).every((e) => e.receipt === null)).toBe(true);
    // Every hashed field, as its hash reads it: the addresses are not among them.
    expect(Object.keys(events[0]).sort()).toEqual([...EXPORTED_EVENT_FIELDS].sort());
    expect(text).not.toContain('@example.com');
  });

  it("an unknown format is a 400 naming `format`, as are the CSV filters' errors", async () => {
    const bad = await admin.get('/consent/events/export').query({ format: 'xml' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['format']);
    expect(bad.body.error.message).toMatch(/format must be one of csv, ndjson/);
    const badEmail = await admin.get('/consent/events/export').query({ format: 'ndjson', email: 'nope' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.details.errors[0].path).toEqual(['email']);
  });
});

describe('npx strapi-plugin-consent verify', () => {
  let lines: string[];
  beforeAll(async () => {
    lines = linesOf((await exportText({ format: 'ndjson' })).text);
  });
  const event = (line: number) => JSON.parse(lines[line - 1]);
  const replaced = (line: number, value: unknown) => lines.map((l, i) => (i === line - 1 ? JSON.stringify(value) : l));

  it('J1, J3: the intact export passes and the command says what it checked (and writes a report)', async () => {
    const report = path.join(dir, 'report.json');
    const n = lines.length - 1;
    const { status, stdout, stderr } = verify(lines, ['--jwks', jwksFile, '--report', report]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toContain(`export: ${n} events, seq 1-${n}; the whole ledger`);
    expect(stdout).toContain(`hash chain: ${n} hashes recomputed, ${n} links checked, seqs contiguous`);
    expect(stdout).toContain('receipts: 3 signatures verified');
    expect(stdout).toContain('OK');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({
      ok: true,
      firstProblem: null,
      checked: { events: n, hashesRecomputed: n, linksChecked: n, receiptsVerified: 3 },
    });
    // The server's own check agrees.
    expect((await ledger().verify()).ok).toBe(true);
  });

  it('J1: an edited event fails, naming its line and event', () => {
    // Ada's refusal of partners turned into a grant.
    const original = event(3);
    expect(original).toMatchObject({ purpose: 'partners', action: 'refused' });
    const edited = { ...original, action: 'granted', state: 'granted' };
    const { status, stderr } = verify(replaced(3, edited));
    expect(status).toBe(1);
    expect(stderr).toContain(`FAILED line 3 (event seq 2, ${edited.eventId}): content does not match its hash`);
  });

  it('J1: a deleted event fails where the gap is', () => {
    const { status, stderr } = verify(lines.filter((_, i) => i !== 3));
    expect(status).toBe(1);
    expect(stderr).toContain(`FAILED line 4 (event seq 4, ${event(5).eventId}): expected seq 3, found seq 4`);
  });

  it('J1: two events swapped fail at the first', () => {
    const swapped = [...lines];
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
    const { status, stderr } = verify(swapped);
    expect(status).toBe(1);
    expect(stderr).toContain('FAILED line 3 (event seq 3');
  });

  it('J3: a forged receipt fails on the first event carrying it; without --jwks it is not checked', () => {
    const line = lines.findIndex((l, i) => i > 0 && JSON.parse(l).receipt) + 1;
    const original = event(line);
    const [h, body, s] = (original.receipt as string).split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    payload.purposes[0].decision = payload.purposes[0].decision === 'granted' ? 'refused' : 'granted';
    const forged = lines.map((l) =>
      l.includes(original.receipt)
        ? l.replace(original.receipt, `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`)
        : l
    );
    const { status, stderr } = verify(forged);
    expect(status).toBe(1);
    expect(stderr).toContain(
      `FAILED line ${line} (event seq ${original.seq}, ${original.eventId}): receipt ${original.receiptId}: signature does not verify`
    );
    const unchecked = verify(forged, []);
    expect(unchecked.status).toBe(0);
    expect(unchecked.stdout).toContain('signatures NOT checked (no --jwks)');
  });

  it("J1: one person's export verifies with its gaps, and refuses its events reordered", async () => {
    const own = linesOf((await exportText({ format: 'ndjson', email: 'ada@example.com' })).text);
    expect(JSON.parse(own[0]).filter).toEqual({ subject: ada });
    expect(own.slice(1).every((l) => JSON.parse(l).subject === ada)).toBe(true);
    const ok = verify(own);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`filtered (subject=${ada})`);
    const reordered = [own[0], ...own.slice(1).reverse()];
    const bad = verify(reordered);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /^FAILED line 3 \(event seq \d+, [^)]+\): seq \d+ after seq \d+ \(events out of order\)/
    );
  });

  it('J1: the export carries the signed checkpoints; the command checks their seals and finds each at its event', async () => {
    // The verification above left a checkpoint at the head; this one leaves none new (same head).
    await ledger().verify();
    const withCheckpoint = linesOf((await exportText({ format: 'ndjson' })).text);
    const header = JSON.parse(withCheckpoint[0]);
    const head = await ledger().head();
    expect(header.checkpoints).toEqual([
      {
        seq: head.seq,
        eventId: expect.any(String),
        hash: head.hash,
        count: head.seq,
        createdAt: expect.any(String),
        seal: expect.any(String),
      },
    ]);
    const [cp] = header.checkpoints;
    const ok = verify(withCheckpoint);
    expect(ok).toMatchObject({ status: 0, stderr: '' });
    expect(ok.stdout).toContain('checkpoints: 1, 1 seals verified, 1 found at their event in the recomputed chain');
    // A person's export carries them too; one whose event is not in the file is not matched, and passes.
    expect(verify(linesOf((await exportText({ format: 'ndjson', email: 'ada@example.com' })).text)).status).toBe(0);

    // An edited checkpoint: reported on line 1, by its seal.
    const edited = [
      JSON.stringify({ ...header, checkpoints: [{ ...cp, hash: 'f'.repeat(64) }] }),
      ...withCheckpoint.slice(1),
    ];
    const bad = verify(edited);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      `FAILED line 1 (event seq ${cp.seq}, ${cp.eventId}): checkpoint 1 of the header does not state what its seal signed (edited or forged)`
    );
    // Without the key set, by the chain: the event at its seq is not the one it names.
    expect(verify(edited, []).stderr).toContain(`FAILED line ${cp.seq + 1} (event seq ${cp.seq}`);

    // The chain rewritten from event 2 and rehashed up to a new head: every link holds again, but the
    // checkpoint sealed before names the old event at its seq.
    const events = withCheckpoint.slice(1).map((l) => JSON.parse(l));
    events[1] = { ...events[1], action: 'granted', state: 'granted' };
    for (let i = 1; i < events.length; i += 1) {
      events[i].prevHash = events[i - 1].hash;
      events[i].hash = eventHash(events[i]);
    }
    const last = events[events.length - 1];
    const forgedHead = { ...header, head: { seq: last.seq, hash: last.hash } };
    const rewritten = verify([JSON.stringify(forgedHead), ...events.map((e) => JSON.stringify(e))]);
    expect(rewritten.status).toBe(1);
    expect(rewritten.stderr).toContain(
      `FAILED line ${cp.seq + 1} (event seq ${cp.seq}, ${last.eventId}): is not the event its checkpoint of ${cp.createdAt} vouches for`
    );
    // Without the checkpoints, the same rewrite would pass: they are what shows it.
    const { checkpoints: _dropped, ...older } = forgedHead;
    expect(verify([JSON.stringify(older), ...events.map((e) => JSON.stringify(e))]).status).toBe(0);
  });

  it('usage errors exit 2 and say how to call it', () => {
    const r = spawnSync(process.execPath, [CLI, 'verify'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: strapi-plugin-consent verify');
    expect(
      spawnSync(process.execPath, [CLI, 'verify', path.join(dir, 'missing.ndjson')], { encoding: 'utf8' }).status
    ).toBe(2);
  });

  it('J1: a ledger larger than one page of 1,000 exports and verifies whole', async () => {
    await ledger().append(
      Array.from({ length: 1100 }, (_, i) => consentEvent({ subject: `bulk-${i}`, purpose: 'partners' }))
    );
    const all = linesOf((await exportText({ format: 'ndjson' })).text);
    expect(all.length - 1).toBe((await ledger().head()).seq);
    const { status, stdout } = verify(all);
    expect(status).toBe(0);
    expect(stdout).toContain(`${all.length - 1} hashes recomputed`);
  });
});
