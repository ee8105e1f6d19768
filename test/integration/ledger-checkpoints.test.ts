/**
 * Signed checkpoints of the hash chain (issue 21 target 4; docs/ledger.md, "Checkpoints"): a verification
 * that passed records one; the next starts from it and checks only the events after it; tampering before
 * it is found by a full verification only; an edited or forged checkpoint is reported and never started
 * from; rows are never updated or deleted; a checkpoint sealed under a retired secret still verifies when
 * that secret is among `previousSecrets`. One database across two boots (secret A, then B with [A]).
 */
import { TABLE, UID } from '../../server/src/constants';
import { CHECKPOINT_IMMUTABLE_MESSAGE } from '../../server/src/database/checkpoint-guard';
import type { NewEvent } from '../../server/src/services/ledger';
import { adminApi, createAdminWithActions } from '../harness/admin';
import { createTestDatabase, type TestDatabase } from '../harness/database';
import { rejectionOf } from '../harness/errors';
import { consentEvent } from '../harness/fixtures';
import { expectStatesEqualReplay } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { withoutCheckpointTriggers, withoutLedgerTriggers } from '../harness/tamper';

const A = 'checkpoint-secret-a-0123456789-0123456789';
const B = 'checkpoint-secret-b-0123456789-0123456789';

let database: TestDatabase;
let app: TestStrapi | undefined;

const boot = async (secret: string, previousSecrets: string[] = []) => {
  app = await bootStrapi({ database, env: { CONSENT_SECRET: secret }, pluginConfig: { previousSecrets } });
};
const stop = async () => {
  if (app) await expectStatesEqualReplay(app.strapi);
  await app?.stop({ keepDatabase: true });
  app = undefined;
};

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await stop();
  await database?.drop();
});

const ledger = () => app!.strapi.plugin('consent').service('ledger');
const knex = () => app!.strapi.db.connection;
const appendMany = async (n: number, tag: string) => {
  const events: NewEvent[] = Array.from({ length: n }, (_, i) => consentEvent({ subject: `${tag}-${i}` }));
  await ledger().append(events);
};
const checkpoints = () => knex()(TABLE.ledgerCheckpoint).select('*').orderBy('id', 'asc');
const headSeq = async () => (await ledger().head()).seq;

describe('under secret A', () => {
  beforeAll(() => boot(A), 180_000);
  afterAll(stop);

  it('a passing verification records a checkpoint at the head, sealed with the receipt key', async () => {
    await appendMany(12, 'first');
    const result = await ledger().verify();
    const seq = await headSeq();
    expect(result).toMatchObject({ ok: true, full: true, from: null, checked: seq, badCheckpoints: [] });
    expect(result.checkpoint).toMatchObject({ seq, count: seq, hash: (await ledger().head()).hash });
    const rows = await checkpoints();
    expect(rows).toHaveLength(1);
    expect(rows[0].seal.split('.')).toHaveLength(3);
    const header = JSON.parse(Buffer.from(rows[0].seal.split('.')[0], 'base64url').toString());
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'consent-checkpoint+jwt' });
  });

  it('verifying again with nothing new records no second checkpoint', async () => {
    const result = await ledger().verify({ from: 'checkpoint' });
    expect(result).toMatchObject({ ok: true, checked: 0, checkpoint: null });
    expect(await checkpoints()).toHaveLength(1);
  });

  it('from the checkpoint, only the events after it are checked (the count it reports)', async () => {
    const [cp] = await checkpoints();
    await appendMany(7, 'second');
    const result = await ledger().verify({ from: 'checkpoint' });
    expect(result).toMatchObject({
      ok: true,
      full: false,
      checked: 7,
      from: { id: Number(cp.id), seq: Number(cp.seq) },
    });
    expect(result.checkpoint).toMatchObject({ seq: Number(cp.seq) + 7 });
  });

  it('POST /consent/ledger/verify starts from the newest checkpoint; ?full=true from the first event; bad input is a 400', async () => {
    const reader = adminApi(
      app!.strapi,
      await createAdminWithActions(app!.strapi, 'checkpoint-reader@consent.test', ['plugin::consent.records.read'])
    );
    await appendMany(3, 'route');
    const incremental = await reader.post('/consent/ledger/verify');
    expect(incremental.status).toBe(200);
    expect(incremental.body.data).toMatchObject({ ok: true, checked: 3, full: false, firstBadEvent: null });
    expect(incremental.body.data.from).toMatchObject({ seq: (await headSeq()) - 3 });
    const full = await reader.post('/consent/ledger/verify?full=true');
    expect(full.body.data).toMatchObject({ ok: true, checked: await headSeq(), full: true, from: null });
    const before = (await checkpoints()).length;
    for (const query of ['full=yes', 'from=1', 'full=true&full=false', 'full[a]=true']) {
      const res = await reader.post(`/consent/ledger/verify?${query}`);
      expect(res.status).toBe(400);
    }
    expect(await checkpoints()).toHaveLength(before);
  });

  it('an event edited before the checkpoint: the incremental verification passes, the full one finds it', async () => {
    await ledger().verify({ from: 'checkpoint' });
    const at = () => knex()(TABLE.event).where({ seq: 3 });
    const [original] = await at().select('state');
    await withoutLedgerTriggers(app!.strapi, async () => {
      await at().update({ state: 'refused' });
    });
    try {
      await appendMany(2, 'after-tamper');
      expect(await ledger().verify({ from: 'checkpoint' })).toMatchObject({ ok: true, checked: 2 });
      expect(await ledger().verify({ from: 'start' })).toMatchObject({
        ok: false,
        firstBadEvent: { seq: 3, problem: 'content does not match its hash' },
      });
    } finally {
      await withoutLedgerTriggers(app!.strapi, async () => {
        await at().update({ state: original.state });
      });
    }
    expect((await ledger().verify()).ok).toBe(true);
  });

  it('checkpoints are never updated or deleted: Strapi refuses, and so does the database', async () => {
    const [row] = await checkpoints();
    const query = app!.strapi.db.query(UID.ledgerCheckpoint);
    expect(await rejectionOf(query.update({ where: { id: row.id }, data: { hash: 'f'.repeat(64) } }))).toMatch(
      CHECKPOINT_IMMUTABLE_MESSAGE
    );
    expect(await rejectionOf(query.delete({ where: { id: row.id } }))).toMatch(CHECKPOINT_IMMUTABLE_MESSAGE);
    expect(await rejectionOf(knex()(TABLE.ledgerCheckpoint).where({ id: row.id }).update({ count: 1 }))).toMatch(
      /checkpoints are kept as signed/i
    );
    expect(await rejectionOf(knex()(TABLE.ledgerCheckpoint).where({ id: row.id }).del())).toMatch(
      /checkpoints are kept as signed/i
    );
    expect(await checkpoints()).toContainEqual(row);
  });

  it('an edited checkpoint is reported and never started from', async () => {
    await appendMany(4, 'edit');
    await ledger().verify({ from: 'checkpoint' });
    const newest = (await checkpoints()).at(-1);
    const older = (await checkpoints()).at(-2);
    // Moved back so that events after it would be skipped: its seal no longer matches.
    await withoutCheckpointTriggers(app!.strapi, async () => {
      await knex()(TABLE.ledgerCheckpoint)
        .where({ id: newest.id })
        .update({ seq: Number(newest.seq) + 1 });
    });
    const result = await ledger().verify({ from: 'checkpoint' });
    expect(result.ok).toBe(false);
    expect(result.badCheckpoints).toEqual([
      { id: Number(newest.id), seq: Number(newest.seq) + 1, problem: 'does not state what its seal signed' },
    ]);
    // It went on from the newest genuine one, and found the chain intact from there.
    expect(result).toMatchObject({ from: { id: Number(older.id) }, firstBadEvent: null, checkpoint: null });
    expect((await ledger().verify({ from: 'start' })).badCheckpoints).toHaveLength(1);
    await withoutCheckpointTriggers(app!.strapi, async () => {
      await knex()(TABLE.ledgerCheckpoint).where({ id: newest.id }).update({ seq: newest.seq });
    });
    expect(await ledger().verify({ from: 'checkpoint' })).toMatchObject({ ok: true, from: { id: Number(newest.id) } });
  });

  it('a forged checkpoint (an unsigned row, or a genuine seal copied onto another position) is reported', async () => {
    const newest = (await checkpoints()).at(-1);
    await appendMany(2, 'forge');
    const head = await ledger().head();
    const forged = {
      ...newest,
      id: undefined,
      document_id: 'dforged',
      seq: head.seq,
      hash: head.hash,
      count: head.seq,
    };
    delete forged.id;
    const [inserted] = await knex()(TABLE.ledgerCheckpoint).insert(forged).returning('id');
    const id = typeof inserted === 'object' ? Number(inserted.id) : Number(inserted);
    const result = await ledger().verify({ from: 'checkpoint' });
    expect(result).toMatchObject({
      ok: false,
      badCheckpoints: [{ id, problem: 'does not state what its seal signed' }],
    });
    expect(result.from?.id).not.toBe(id);
    const noSeal = await knex()(TABLE.ledgerCheckpoint)
      .insert({ ...forged, document_id: 'dforged2', seal: 'not-a-jws' })
      .returning('id');
    const full = await ledger().verify({ from: 'start' });
    expect(full.ok).toBe(false);
    expect(full.badCheckpoints.map((b: { id: number }) => b.id)).toContain(
      typeof noSeal[0] === 'object' ? Number(noSeal[0].id) : Number(noSeal[0])
    );
    await withoutCheckpointTriggers(app!.strapi, async () => {
      await knex()(TABLE.ledgerCheckpoint).whereIn('document_id', ['dforged', 'dforged2']).del();
    });
  });

  it('a genuine checkpoint that no longer matches the chain (a ledger rolled back and written again) is reported', async () => {
    await appendMany(3, 'rolled-back');
    const { checkpoint } = await ledger().verify({ from: 'checkpoint' });
    expect(checkpoint).not.toBeNull();
    // The last three events and their states removed below the triggers, the head moved back: as if the
    // database were restored from a backup taken before them. Three other events then take their places.
    const kept = checkpoint!.seq - 3;
    const [last] = await knex()(TABLE.event).where({ seq: kept }).select('hash');
    await withoutLedgerTriggers(app!.strapi, async () => {
      await knex()(TABLE.event).where('seq', '>', kept).del();
    });
    await knex()(TABLE.state).where('subject', 'like', 'rolled-back-%').del();
    await knex()(TABLE.ledgerHead).where({ name: 'main' }).update({ seq: kept, hash: last.hash });
    await appendMany(3, 'written-again');

    const full = await ledger().verify({ from: 'start' });
    expect(full).toMatchObject({ ok: false, firstBadEvent: null });
    expect(full.badCheckpoints).toEqual([
      { id: checkpoint!.id, seq: checkpoint!.seq, problem: 'does not match the chain at its event' },
    ]);
    const incremental = await ledger().verify({ from: 'checkpoint' });
    expect(incremental).toMatchObject({
      ok: false,
      firstBadEvent: { seq: checkpoint!.seq, problem: `is not the event checkpoint ${checkpoint!.id} vouches for` },
    });
    await withoutCheckpointTriggers(app!.strapi, async () => {
      await knex()(TABLE.ledgerCheckpoint).where({ id: checkpoint!.id }).del();
    });
    expect((await ledger().verify({ from: 'start' })).ok).toBe(true);
  });
});

describe('under secret B, with A retired (previousSecrets)', () => {
  beforeAll(() => boot(B, [A]), 180_000);
  afterAll(stop);

  it('a checkpoint sealed under A still verifies and is started from', async () => {
    const newest = (await checkpoints()).at(-1);
    await appendMany(5, 'under-b');
    const result = await ledger().verify({ from: 'checkpoint' });
    expect(result).toMatchObject({ ok: true, checked: 5, from: { id: Number(newest.id) }, badCheckpoints: [] });
    expect((await ledger().verify({ from: 'start' })).ok).toBe(true);
  });
});
