/**
 * I5: the end of proof. The nightly job `consent:proof-pruning` (called here with the instant to judge
 * at; cron is off in tests) clears the personal fields of the events of a consent that ended more than
 * `retention.proofYears` ago (default 5) and removes its state; hashes stay, so the chain, the replay,
 * the NDJSON export and the offline verifier still hold, and tampering is still found. Events are appended
 * back-dated, as an import would. The database triggers let exactly that update through, nothing else.
 * A bad `retention.proofYears` stopping the boot: configuration.test.ts and test/unit/proof-pruning.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TABLE, UID } from '../../server/src/constants';
import { installLedgerTriggers } from '../../server/src/database/ledger-guard';
import { monthsBefore } from '../../server/src/domain/retention-rules';
import type { NewEvent } from '../../server/src/services/ledger';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { rejectionOf } from '../harness/errors';
import { expectStatesEqualReplay, replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { withoutLedgerTriggers } from '../harness/tamper';

const CLI = path.resolve(__dirname, '../harness/verify-cli.js');
const PERSONAL = ['subject', 'page_url', 'context', 'evidence', 'actor', 'receipt_id'];
const KEPT = [
  'id',
  'seq',
  'event_id',
  'purpose',
  'channel',
  'action',
  'state',
  'method',
  'legal_basis',
  'form_key',
  'prev_hash',
  'hash',
];

let app: TestStrapi;
let admin: ReturnType<typeof adminApi>;
let dir: string;
let jwksFile: string;
const now = new Date();
const yearsAgo = (years: number) => monthsBefore(now, Math.round(years * 12));

const consent = () => app.strapi.plugin('consent');
const retention = () => consent().service('retention');
const knex = () => app.strapi.db.connection;
const rowsOf = (where: Record<string, unknown>) => knex()(TABLE.event).where(where).orderBy('seq');
const allRows = () => knex()(TABLE.event).orderBy('seq');
const stateOf = (subject: string, purpose: string) => knex()(TABLE.state).where({ subject, purpose }).first();
const time = (value: unknown) => new Date(value as string).getTime();

type Step = { purpose: string; channel: NewEvent['channel']; action: 'granted' | 'withdrawn' | 'contacted'; at: Date };

/** A person with events appended at given times, each carrying the personal fields pruning clears. */
const person = async (email: string, jurisdiction: 'de' | 'fr', steps: Step[]) => {
  const { subject } = await app.strapi.db.transaction(async () => {
    await consent().service('ledger').lock();
    return consent().service('subjects').resolve({ email }, { jurisdiction, audience: 'consumer' });
  });
  const pseudonym = subject.pseudonym as string;
  await consent()
    .service('ledger')
    .append(
      steps.map((s, i) => ({
        subject: pseudonym,
        purpose: s.purpose,
        channel: s.channel,
        action: s.action,
        state: s.action === 'contacted' ? 'granted' : s.action,
        method: s.action === 'contacted' ? 'api' : 'import',
        legalBasis: 'consent',
        actor: 'admin:7',
        formKey: 'signup',
        pageUrl: `https://shop.example/signup?email=${email}`,
        context: { ip: '203.0.113.0', userAgent: 'Test/1.0' },
        evidence: { note: `step ${i}` },
        receiptId: `rcpt-${email}-${i}`,
        occurredAt: s.at,
      }))
    );
  return pseudonym;
};

const exportLines = async () => {
  const res = await admin
    .get('/consent/events/export')
    .query({ format: 'ndjson' })
    .buffer(true)
    .parse((r, cb) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString('utf8')));
      r.on('end', () => cb(null, text));
    });
  expect(res.status).toBe(200);
  return (res.body as string).split('\n').filter((l) => l !== '');
};

let files = 0;
const verifyFile = (lines: string[], extra: string[] = ['--jwks', jwksFile]) => {
  const file = path.join(dir, `export-${(files += 1)}.ndjson`);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  const r = spawnSync(process.execPath, [CLI, 'verify', file, ...extra], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** The export with line `seq`'s event changed by `edit`. */
const edited = (lines: string[], seq: number, edit: (e: Record<string, unknown>) => void) =>
  lines.map((l, i) => {
    if (i === 0) return l;
    const e = JSON.parse(l);
    if (e.seq !== seq) return l;
    edit(e);
    return JSON.stringify(e);
  });

let olga: string;
let rita: string;
let dieter: string;
let dora: string;
let before: Record<string, unknown>[];

beforeAll(async () => {
  app = await bootStrapi();
  admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  // Ended six years ago: past the default five. Her other consent still runs.
  olga = await person('olga@example.fr', 'fr', [
    { purpose: 'newsletter', channel: 'email', action: 'granted', at: yearsAgo(7) },
    { purpose: 'partners', channel: 'email', action: 'granted', at: yearsAgo(7) },
    { purpose: 'newsletter', channel: 'email', action: 'withdrawn', at: yearsAgo(6) },
  ]);
  // Her receipts, as the form would have issued them (signed, naming her).
  for (const i of [0, 1, 2]) {
    const receiptId = `rcpt-olga@example.fr-${i}`;
    await app.strapi.db.query(UID.receipt).create({
      data: {
        receiptId,
        subject: olga,
        issuedAt: yearsAgo(7),
        body: { receiptId },
        jws: consent().service('receipts').sign({ receiptId, sub: olga }),
      },
    });
  }
  // Ended two years ago.
  rita = await person('rita@example.fr', 'fr', [
    { purpose: 'newsletter', channel: 'email', action: 'granted', at: yearsAgo(7) },
    { purpose: 'newsletter', channel: 'email', action: 'withdrawn', at: yearsAgo(2) },
  ]);
  // A German telephone consent, last used four years ago (§7a UWG: five years from each use).
  dieter = await person('dieter@example.de', 'de', [
    { purpose: 'calls', channel: 'phone', action: 'granted', at: yearsAgo(8) },
    { purpose: 'calls', channel: 'phone', action: 'contacted', at: yearsAgo(4) },
    { purpose: 'calls', channel: 'phone', action: 'withdrawn', at: yearsAgo(3.5) },
  ]);
  // The same dates by email: no telephone minimum.
  dora = await person('dora@example.de', 'de', [
    { purpose: 'calls', channel: 'email', action: 'granted', at: yearsAgo(8) },
    { purpose: 'calls', channel: 'email', action: 'contacted', at: yearsAgo(4) },
    { purpose: 'calls', channel: 'email', action: 'withdrawn', at: yearsAgo(3.5) },
  ]);
  before = await allRows();
  dir = mkdtempSync(path.join(tmpdir(), 'consent-prune-'));
  jwksFile = path.join(dir, 'jwks.json');
  writeFileSync(jwksFile, (await app.http().get('/api/consent/jwks.json')).text);
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await replayThenStop(app);
});

describe('I5: pruning at the end of the proof period (default 5 years)', () => {
  it('I5: nothing is due until five years after the end', async () => {
    expect(await retention().pruneProof(new Date(monthsBefore(now, 13).getTime()))).toEqual({ keys: 0, events: 0 });
    expect(await allRows()).toEqual(before);
  });

  it('I5: two instances at once prune the ended consent once; personal fields null, hashes and the rest unchanged, its receipts gone', async () => {
    const [first, second] = await Promise.all([retention().pruneProof(now), retention().pruneProof(now)]);
    expect(first.keys + second.keys).toBe(1);
    expect(first.events + second.events).toBe(2);

    const after = await allRows();
    const olgaNewsletter = before.filter((r) => r.subject === olga && r.purpose === 'newsletter').map((r) => r.id);
    expect(olgaNewsletter).toHaveLength(2);
    for (const [i, row] of after.entries()) {
      const old = before[i];
      if (!olgaNewsletter.includes(row.id)) {
        expect(row).toEqual(old);
        continue;
      }
      for (const column of PERSONAL) expect(row[column]).toBeNull();
      for (const column of KEPT) expect(row[column]).toEqual(old[column]);
      expect(time(row.occurred_at)).toBe(time(old.occurred_at));
      expect(time(row.pruned_at)).toBe(Math.floor(now.getTime()));
      expect(row.prune_seal).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    }
    // The receipts only the pruned events named went; the one of her running consent stayed.
    const receipts = await knex()(TABLE.receipt).where({ subject: olga }).orderBy('receipt_id');
    expect(receipts.map((r: { receipt_id: string }) => r.receipt_id)).toEqual(['rcpt-olga@example.fr-1']);
    // The ended key's state went with its proof; her running consent and the others stayed.
    expect(await stateOf(olga, 'newsletter')).toBeUndefined();
    expect((await stateOf(olga, 'partners')).state).toBe('granted');
    expect((await stateOf(rita, 'newsletter')).state).toBe('withdrawn');
    expect((await stateOf(dieter, 'calls')).state).toBe('withdrawn');
    expect((await stateOf(dora, 'calls')).state).toBe('withdrawn');
  });

  it('I5: idempotent: a second night finds nothing', async () => {
    const rows = await allRows();
    expect(await retention().pruneProof(now)).toEqual({ keys: 0, events: 0 });
    expect(await allRows()).toEqual(rows);
  });

  it('I5, J1: POST /consent/ledger/verify says intact, counting the pruned events; states equal a replay', async () => {
    const res = await admin.post('/consent/ledger/verify?full=true');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, checked: before.length, pruned: 2, firstBadEvent: null });
    await expectStatesEqualReplay(app.strapi);
  });

  it('I5: the person’s own export and the ledger explorer no longer show the pruned events', async () => {
    const own = await rowsOf({ subject: olga });
    expect(own.map((r: { purpose: string }) => r.purpose)).toEqual(['partners']);
  });

  it('I5: a later consent of the same person starts afresh, and still replays', async () => {
    await consent()
      .service('ledger')
      .append([
        {
          subject: olga,
          purpose: 'newsletter',
          channel: 'email',
          action: 'granted',
          state: 'granted',
          method: 'form',
          legalBasis: 'consent',
          actor: 'subject',
        },
      ]);
    expect((await stateOf(olga, 'newsletter')).state).toBe('granted');
    await expectStatesEqualReplay(app.strapi, olga);
    expect((await admin.post('/consent/ledger/verify?full=true')).body.data).toMatchObject({ ok: true, pruned: 2 });
  });
});

describe('I5, J1: the NDJSON export and the offline verifier on a pruned ledger', () => {
  let lines: string[];
  let pruned: number[];
  let intact: number;
  beforeAll(async () => {
    lines = await exportLines();
    const events = lines.slice(1).map((l) => JSON.parse(l));
    pruned = events.filter((e) => e.prunedAt).map((e) => e.seq);
    intact = events.find((e) => !e.prunedAt && e.subject === rita).seq;
  });

  it('I5: pruned events are exported with their personal fields null, prunedAt and their seal', () => {
    expect(pruned).toHaveLength(2);
    const e = JSON.parse(lines.find((l) => l.includes(`"seq":${pruned[0]},`))!);
    expect(e).toMatchObject({
      subject: null,
      pageUrl: null,
      context: null,
      evidence: null,
      actor: null,
      receiptId: null,
      receipt: null,
    });
    expect(e.purpose).toBe('newsletter');
    expect(typeof e.pruneSeal).toBe('string');
  });

  it('I5: the verifier passes it, checking every seal against the JWK set', () => {
    const { status, stdout } = verifyFile(lines);
    expect(status).toBe(0);
    expect(stdout).toContain('pruned events: 2 (proof period over), 2 seals verified');
    expect(stdout).toContain('receipts: 1 signatures verified');
    expect(stdout).toContain(`${lines.length - 3} hashes recomputed`);
  });

  it('I5: without the JWK set it passes and says the seals were not checked', () => {
    const { status, stdout } = verifyFile(lines, []);
    expect(status).toBe(0);
    expect(stdout).toContain('seals NOT checked');
  });

  it('J1: an edited event that was not pruned is still found', () => {
    const { status, stderr } = verifyFile(edited(lines, intact, (e) => (e.state = 'refused')));
    expect(status).toBe(1);
    expect(stderr).toContain(`event seq ${intact}`);
    expect(stderr).toContain('content does not match its hash');
  });

  it('I5: an edited remaining field of a pruned event is found by its seal', () => {
    const { status, stderr } = verifyFile(edited(lines, pruned[1], (e) => (e.action = 'granted')));
    expect(status).toBe(1);
    expect(stderr).toContain(`event seq ${pruned[1]}`);
    expect(stderr).toContain('its remaining fields are not the ones sealed');
  });

  it('I5: a changed hash of a pruned event is found (its seal, and the next event’s link)', () => {
    const r = verifyFile(edited(lines, pruned[0], (e) => (e.hash = 'a'.repeat(64))));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`event seq ${pruned[0]}`);
    expect(r.stderr).toContain('its hash or prevHash is not the one sealed');
    const noKeys = verifyFile(
      edited(lines, pruned[0], (e) => (e.hash = 'a'.repeat(64))),
      []
    );
    expect(noKeys.status).toBe(1);
    expect(noKeys.stderr).toContain('does not link to the previous event');
  });

  it('I5: a personal field put back on a pruned event, or an intact event marked pruned, is found', () => {
    const back = verifyFile(edited(lines, pruned[0], (e) => (e.subject = olga)));
    expect(back.status).toBe(1);
    expect(back.stderr).toContain('pruned, yet it holds subject');
    const seal = JSON.parse(lines.find((l) => l.includes(`"seq":${pruned[0]},`))!).pruneSeal;
    const forged = verifyFile(
      edited(lines, intact, (e) => {
        for (const f of ['subject', 'pageUrl', 'context', 'evidence', 'actor', 'receiptId', 'receipt']) e[f] = null;
        e.prunedAt = now.toISOString();
        e.pruneSeal = seal;
      })
    );
    expect(forged.status).toBe(1);
    expect(forged.stderr).toContain(`event seq ${intact}`);
    expect(forged.stderr).toContain('its prune seal is for another event');
  });
});

describe('I5, J1: the database lets exactly the prune update through', () => {
  const refused = async (promise: Promise<unknown>) => expect(await rejectionOf(promise)).toMatch(/append-only/);
  let pruned: { id: number };
  let live: { id: number };
  beforeAll(async () => {
    [pruned] = await knex()(TABLE.event).whereNotNull('pruned_at').orderBy('seq').limit(1);
    [live] = await rowsOf({ subject: rita });
  });
  const prune = (extra: Record<string, unknown> = {}) => ({
    subject: null,
    page_url: null,
    context: null,
    evidence: null,
    actor: null,
    receipt_id: null,
    pruned_at: new Date(),
    prune_seal: 'x.y.z',
    ...extra,
  });
  const update = (id: number, data: Record<string, unknown>) => knex()(TABLE.event).where({ id }).update(data);

  it('J1: any other UPDATE is refused: a field, a prune that also changes a kept field, a prune without its seal', async () => {
    const snapshot = await allRows();
    await refused(update(live.id, { state: 'refused' }));
    await refused(update(live.id, { subject: null }));
    await refused(update(live.id, prune({ action: 'withdrawn' })));
    await refused(update(live.id, prune({ occurred_at: new Date() })));
    await refused(update(live.id, prune({ hash: 'a'.repeat(64) })));
    await refused(update(live.id, prune({ prune_seal: null })));
    await refused(update(live.id, prune({ page_url: 'https://elsewhere.example/' })));
    expect(await allRows()).toEqual(snapshot);
  });

  it('J1: a pruned event cannot be changed again (its seal, its time, its hash) nor deleted', async () => {
    const snapshot = await allRows();
    await refused(update(pruned.id, { prune_seal: 'x.y.z' }));
    await refused(update(pruned.id, { pruned_at: new Date() }));
    await refused(update(pruned.id, { hash: 'a'.repeat(64) }));
    await refused(update(pruned.id, { action: 'refused' }));
    await refused(knex()(TABLE.event).where({ id: pruned.id }).del());
    expect(await allRows()).toEqual(snapshot);
  });

  it('I5: a prune written past the ledger service gets no genuine seal, and verify names the event', async () => {
    const original = await knex()(TABLE.event).where({ id: live.id }).first();
    await update(live.id, prune());
    const res = await admin.post('/consent/ledger/verify?full=true');
    expect(res.body.data).toMatchObject({
      ok: false,
      firstBadEvent: { seq: Number(original.seq), problem: expect.stringMatching(/prune seal is not genuine/) },
    });
    // Put back as it was (JSON as text: MySQL would read an object as a list of assignments).
    const text = (v: unknown) => (v != null && typeof v === 'object' ? JSON.stringify(v) : v);
    await withoutLedgerTriggers(app.strapi, async () => {
      await knex()(TABLE.event)
        .where({ id: live.id })
        .update({
          ...Object.fromEntries(PERSONAL.map((c) => [c, text(original[c])])),
          pruned_at: null,
          prune_seal: null,
        });
    });
    expect((await admin.post('/consent/ledger/verify?full=true')).body.data.ok).toBe(true);
  });

  it('I5: an edited remaining field of a pruned event in the database fails verify', async () => {
    const original = await knex()(TABLE.event).where({ id: pruned.id }).first();
    await withoutLedgerTriggers(app.strapi, async () => {
      await knex()(TABLE.event).where({ id: pruned.id }).update({ action: 'refused' });
    });
    expect((await admin.post('/consent/ledger/verify?full=true')).body.data).toMatchObject({
      ok: false,
      firstBadEvent: {
        seq: Number(original.seq),
        problem: 'its remaining fields are not the ones sealed when it was pruned',
      },
    });
    await withoutLedgerTriggers(app.strapi, async () => {
      await knex()(TABLE.event).where({ id: pruned.id }).update({ action: original.action });
    });
    expect((await admin.post('/consent/ledger/verify?full=true')).body.data.ok).toBe(true);
  });

  it('J1: an installation upgraded from the refuse-all trigger gets the prune-only one in its place', async () => {
    const client = app.strapi.db.dialect.client as string;
    if (client === 'postgres') return; // one function, replaced in place by CREATE OR REPLACE
    await withoutLedgerTriggers(app.strapi, async () => {
      await knex().raw(
        client === 'sqlite'
          ? `CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON ${TABLE.event} BEGIN SELECT RAISE(ABORT, 'old'); END`
          : `CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON \`${TABLE.event}\` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'old'`
      );
    });
    // The install at every boot (here also at the end of withoutLedgerTriggers) removes it.
    expect(await installLedgerTriggers(app.strapi)).toBe(true);
    const names: string[] =
      client === 'sqlite'
        ? (
            await knex().raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, [TABLE.event])
          ).map((r: { name: string }) => r.name)
        : (
            await knex().raw(
              'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?',
              [TABLE.event]
            )
          )[0].map((r: { name: string }) => r.name);
    expect(names).not.toContain('consent_events_no_update');
    expect(names.filter((n) => n.startsWith('consent_events_prune_only_'))).toHaveLength(1);
    await refused(update(live.id, { state: 'refused' }));
  });
});

describe('I5: the German telephone minimum holds whatever the period', () => {
  afterAll(() => app.strapi.config.set('plugin::consent.retention.proofYears', 5));

  it('I5: with retention.proofYears 3, the e-mail consent goes and the telephone consent used 4 years ago stays', async () => {
    app.strapi.config.set('plugin::consent.retention.proofYears', 3);
    expect(await retention().pruneProof(now)).toEqual({ keys: 1, events: 3 });
    expect(await rowsOf({ subject: dora })).toHaveLength(0);
    expect(await stateOf(dora, 'calls')).toBeUndefined();
    expect(await rowsOf({ subject: dieter })).toHaveLength(3);
    expect((await stateOf(dieter, 'calls')).state).toBe('withdrawn');
    // Five years after the use it goes too, as does Rita's, three years after her withdrawal.
    expect(await retention().pruneProof(new Date(monthsBefore(now, -13).getTime()))).toEqual({ keys: 2, events: 5 });
    expect(await rowsOf({ subject: dieter })).toHaveLength(0);
    expect(await rowsOf({ subject: rita })).toHaveLength(0);
    expect((await admin.post('/consent/ledger/verify?full=true')).body.data).toMatchObject({ ok: true, pruned: 10 });
    await expectStatesEqualReplay(app.strapi);
  });

  it('I5: retention.proofYears null keeps proof forever', async () => {
    app.strapi.config.set('plugin::consent.retention.proofYears', null);
    expect(await retention().pruneProof(new Date(monthsBefore(now, -120).getTime()))).toEqual({ keys: 0, events: 0 });
  });
});
