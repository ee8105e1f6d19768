/**
 * Upgrading and disabling lose nothing (issue 20 part 4). The previous release, 0.3.0, boots from its own
 * sources (its commit extracted with `git archive`: its plugin and its playground app) in a child process
 * and records consent over HTTP; this version then boots on the same database: the chain verifies, the
 * states equal the replay, every receipt is still there, and new events continue the chain. Then the app
 * boots once with the plugin disabled and once enabled again: every consent row is still there. With
 * Strapi's default `forceMigration: true` that one boot without the plugin drops its tables, which is why
 * docs/operations.md requires `forceMigration: false`; the last test shows it.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TABLE } from '../../server/src/constants';
import { startChildInstance } from '../harness/child-instance';
import { shownNotices, type Notices } from '../harness/consent-setup';
import { createTestDatabase, type TestDatabase } from '../harness/database';
import { expectStatesEqualReplay } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

/** The commit that released 0.3.0 (package.json's version since; the repository has no tags). */
const RELEASE_0_3_0 = 'ca61b90bcf60865e2def3135f035ae35d6193087';
const ROOT = path.resolve(__dirname, '../..');
/** Where 0.3.0 kept its test shim: the test folder was named `tests/` then. */
const RELEASE_SHIM = 'tests/plugin-shim';

/** The release's plugin sources, playground app and test shim, with this checkout's node_modules. */
const extractRelease = (commit: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-release-'));
  execSync(
    `git -C "${ROOT}" archive --format=tar ${commit} server shared playground tests/plugin-shim | tar -x -C "${dir}"`
  );
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
};

const consentTables = Object.values(TABLE);

const rowCounts = async (app: TestStrapi) => {
  const knex = app.strapi.db.connection;
  const counts: Record<string, number> = {};
  for (const table of consentTables) {
    if (await knex.schema.hasTable(table))
      counts[table] = Number(((await knex(table).count({ n: '*' })) as { n: number }[])[0].n);
  }
  return counts;
};

const existing = (counts: Record<string, number | null>) =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== null)) as Record<string, number>;

describe('upgrade from 0.3.0, disable, re-enable', () => {
  let database: TestDatabase;
  let release: string;
  let app: TestStrapi | undefined;
  let events = 0;
  let before: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    release = extractRelease(RELEASE_0_3_0);
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    if (release) fs.rmSync(release, { recursive: true, force: true });
  });

  const submit = async (
    port: number,
    notices: Notices,
    email: string,
    over: Record<string, unknown> = {},
    headers: Record<string, string> = {}
  ) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/consent/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        form: 'demo',
        subject: { email },
        choices: { newsletter: true, 'partner-offers': false },
        notices,
        ...over,
      }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { data: { receipt: { receiptId: string } } }).data.receipt.receiptId;
  };

  it('0.3.0 records consent; this version boots on its database: the chain verifies, states equal the replay, nothing is lost', async () => {
    const old = await startChildInstance(database, {
      appDir: path.join(release, 'playground'),
      env: { CONSENT_PLUGIN_PATH: path.join(release, RELEASE_SHIM) },
      seed: true,
      listen: true,
    });
    const receipts: string[] = [];
    try {
      const form = await (await fetch(`http://127.0.0.1:${old.port}/api/consent/forms/demo`)).json();
      const notices = shownNotices((form as { data: Parameters<typeof shownNotices>[0] }).data);
      for (let i = 0; i < 8; i++) {
        // Double opt-in requests, partner refusals, a later change of mind, and a GPC signal.
        receipts.push(
          await submit(
            old.port!,
            notices,
            `person${i % 6}@example.com`,
            i >= 6 ? { choices: { 'partner-offers': true } } : {}
          )
        );
      }
      receipts.push(await submit(old.port!, notices, 'gpc@example.com', {}, { 'Sec-GPC': '1' }));
      const [verified] = await old.results<{ ok: boolean; checked: number }>('ledger', 'verify', [[]]);
      expect(verified.ok).toBe(true);
      events = verified.checked;
      expect(events).toBeGreaterThan(receipts.length);
    } finally {
      await old.stop();
    }

    app = await bootStrapi({ database });
    const ledger = app.strapi.plugin('consent').service('ledger');
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: events, firstBadEvent: null });
    await expectStatesEqualReplay(app.strapi);
    for (const receiptId of receipts) {
      expect(await app.strapi.db.connection(TABLE.receipt).where({ receipt_id: receiptId })).toHaveLength(1);
    }
    expect(await app.strapi.db.connection(TABLE.subject).whereNotNull('email')).toHaveLength(7);

    // This version continues the chain on the upgraded data: a person 0.3.0 recorded changes their mind,
    // and withdraws everything.
    const form = await app.http().get('/api/consent/forms/demo').expect(200);
    await app
      .http()
      .post('/api/consent/submissions')
      .send({
        form: 'demo',
        subject: { email: 'person1@example.com' },
        choices: { 'partner-offers': true },
        notices: shownNotices(form.body.data),
      })
      .expect(201);
    await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'person1@example.com' }, purposes: 'all' })
      .expect(202);
    const after = await ledger.verify();
    expect(after).toMatchObject({ ok: true, firstBadEvent: null });
    expect(after.checked).toBeGreaterThan(events);
    events = after.checked;
    await expectStatesEqualReplay(app.strapi);
    before = await rowCounts(app);
    await app.stop({ keepDatabase: true });
    app = undefined;
  });

  it('one boot with the plugin disabled, then enabled again, loses nothing (forceMigration: false)', async () => {
    // In a child process: the app's route files are read once per process, and they leave the form hook
    // out when the plugin is off (playground/src/consent-hook.js).
    const off = await startChildInstance(database, { env: { CONSENT_ENABLED: 'false' } });
    try {
      // The tables are left alone while the plugin is off.
      expect(existing(await off.count(consentTables))).toEqual(before);
    } finally {
      await off.stop();
    }

    app = await bootStrapi({ database });
    expect(await rowCounts(app)).toEqual(before);
    expect(await app.strapi.plugin('consent').service('ledger').verify()).toMatchObject({
      ok: true,
      checked: events,
      firstBadEvent: null,
    });
    await expectStatesEqualReplay(app.strapi);
    await app.stop();
    app = undefined;
  });

  it("with Strapi's default forceMigration: true, one boot without the plugin drops the ledger (why operations.md requires false)", async () => {
    const off = await startChildInstance(database, {
      env: { CONSENT_ENABLED: 'false', DATABASE_FORCE_MIGRATION: 'true' },
    });
    try {
      const counts = await off.count([TABLE.event, TABLE.state, TABLE.receipt]);
      expect(counts).toEqual({ [TABLE.event]: null, [TABLE.state]: null, [TABLE.receipt]: null });
    } finally {
      await off.stop();
    }
  });
});
