import type { Core } from '@strapi/strapi';
import type { EventDecision } from '../../../shared/contracts/events';
import type { ReplayLedger, VerifyLedger } from '../../../shared/contracts/records';
import { TABLE, UID } from '../constants';
import { movesState, nextState, type StateRow } from '../domain/consent-state';
import { eventHash, eventHashOfValues, GENESIS_HASH } from '../domain/event-hash';
import { verifyCompactJws, type Jwk } from '../domain/jws-verify';
import {
  CHECKPOINT_SEAL_TYPE,
  checkpointOf,
  checkpointProblem,
  type StoredCheckpoint,
} from '../domain/ledger-checkpoint';
import { PRUNE_SEAL_TYPE, pruneSealOf, prunedEventProblem } from '../domain/proof-pruning';
import { replayKey, replayStates, stateDifferences, type Replayed, type ReplayEvent } from '../domain/state-replay';
import {
  CANONICAL_EVENT_COLUMNS,
  EVENT_COLUMNS,
  fromEventColumns,
  fromStateColumns,
  PRUNE_MARKER_COLUMNS,
  PRUNED_COLUMNS,
  STATE_COLUMNS,
  toEventColumns,
  toStateColumns,
} from '../database/ledger-rows';
import { documentIds } from '../database/document-id';
import { ensureHeadRow } from '../database/head-row';
import { onTable } from '../database/in-transaction';
import { orderedId } from '../database/ordered-id';
import { rowArrays } from '../database/row-arrays';
import { writeAll, type TableWrite } from '../database/write-all';
import { getService } from '../utils/get-service';
import { ledgerReads } from './ledger-reads';
import type { Identifiers } from './subjects';

/** What a caller records; the ledger adds the event id, sequence number, time and chain hashes. */
export interface NewEvent extends EventDecision {
  subject: string;
  actor: string;
  noticeId?: number | null;
  noticeVersion?: number | null;
  noticeHash?: string | null;
  noticeLanguage?: string | null;
  formKey?: string | null;
  pageUrl?: string | null;
  context?: Record<string, unknown> | null;
  evidence?: Record<string, unknown> | null;
  receiptId?: string | null;
  /** The purpose's consent lifetime, for the state's expiry. */
  lifetimeDays?: number | null;
  occurredAt?: Date;
}

export interface StoredEvent extends Omit<NewEvent, 'lifetimeDays' | 'occurredAt'> {
  seq: number;
  eventId: string;
  occurredAt: Date;
  prevHash: string;
  hash: string;
}

/** What a caller already knows of the people it records events for, by pseudonym. */
export interface KnownSubject {
  /** Their identifiers, for the listeners told of the events once committed. */
  identifiers: Identifiers;
  /** Created in this transaction: nothing to read of their states. */
  created: boolean;
}

/** Events of several callers chained in memory and written at once (see `ledger.batch`). */
export interface LedgerBatch {
  /** Reads the stored states of these people for these purposes (none for people created in this transaction). */
  load(subjects: string[], purposes: string[]): Promise<void>;
  /** A state as the events added so far leave it; null when it has none. Needs `load` first. */
  state(subject: string, purpose: string, channel: string): StateRow | null;
  /** Chains events after those added before (no I/O); returns them as they will be stored. */
  add(events: NewEvent[]): StoredEvent[];
  /**
   * The writes of the events added since the last call, their states and the head, for the caller to run
   * in this transaction with its own (`writeAll`); listeners hear of the events once it commits.
   */
  writes(): TableWrite[];
  /** Runs `writes()`. */
  write(): Promise<void>;
}

export type VerifyResult = VerifyLedger.Response['data'];
type CheckpointProblem = VerifyResult['badCheckpoints'][number];
type PublicCheckpoint = NonNullable<VerifyResult['from']>;

export type ReplayMismatch = ReplayLedger.Mismatch;
export type ReplayResult = ReplayLedger.Response['data'];

const HEAD = 'main';
/** The catalogue's stamp row (services/catalogue.ts), beside the chain's head. */
const CATALOGUE_STAMP = 'catalogue';
// Events per page of a verification (and of the replay's state pages). Small on purpose: the page being
// hashed and the next one read meanwhile are alive across awaits, and 5,000-row pages (10,000 rows of ~24
// values) outlived V8's young generation, so every page was promoted and collected by the old generation:
// 42 % of a 100k-event verification's CPU was GC. At 1,000 rows it is 12 %, and the extra round trips
// cost less than that (bench, 100k events: SQLite 57k → 90–95k events per CPU second, PostgreSQL 67k → 85k).
const PAGE = 1000;
// A verification reads rows as arrays: the hashed columns first, in the order their hash reads them.
const VERIFY_COLUMNS = [...CANONICAL_EVENT_COLUMNS, 'hash', ...PRUNE_MARKER_COLUMNS];
const at = (column: string) => VERIFY_COLUMNS.indexOf(column);
const V = {
  seq: at('seq'),
  eventId: at('event_id'),
  prevHash: at('prev_hash'),
  hash: at('hash'),
  prunedAt: at('pruned_at'),
  pruneSeal: at('prune_seal'),
};
const verifyRowObject = (values: unknown[]) =>
  Object.fromEntries(VERIFY_COLUMNS.map((column, i) => [column, values[i]])) as Record<string, any>;
// Checkpoints read at a time while looking for the newest whose seal holds (nearly always the first).
const CHECKPOINT_PAGE = 20;
// People per replay batch: their events and states are held in memory at once.
const REPLAY_PEOPLE = 200;
const MAX_MISMATCHES = 100;
const REPLAY_EVENT_COLUMNS = [
  'seq',
  'subject',
  'purpose',
  'channel',
  'action',
  'state',
  'legal_basis',
  'notice_id',
  'notice_version',
  'occurred_at',
];
// People per state lookup.
const CHUNK = 500;

/** A state row as an append holds it: `id` null for a key without a row yet. */
interface StateEntry {
  id: number | null;
  row: StateRow;
  touched: boolean;
}

/** A checkpoint as the API shows it: what it states, not its seal. */
const publicCheckpoint = ({ seal: _seal, ...cp }: StoredCheckpoint) => cp;

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const snapshot = (row: StateRow): ReplayLedger.State => ({
  ...row,
  changedAt: row.changedAt.toISOString(),
  grantedAt: isoOrNull(row.grantedAt),
  expiresAt: isoOrNull(row.expiresAt),
});

/** An event row read with knex as the replay needs it (drivers answer big integers as strings). */
const toReplayEvent = (r: Record<string, any>): ReplayEvent => ({
  seq: Number(r.seq),
  subject: r.subject,
  purpose: r.purpose,
  channel: r.channel,
  action: r.action,
  state: r.state,
  legalBasis: r.legal_basis,
  noticeId: r.notice_id == null ? null : Number(r.notice_id),
  noticeVersion: r.notice_version == null ? null : Number(r.notice_version),
  occurredAt: new Date(r.occurred_at),
});

const stateKey = (r: { subject: string; purpose: string; channel: string }) =>
  `${r.subject}\u0000${r.purpose}\u0000${r.channel}`;

/** A person × purpose × channel whose proof ends (I5). */
export interface ProofKey {
  subject: string;
  purpose: string;
  channel: string;
}

type Knex = Core.Strapi['db']['connection'];

/**
 * The consent ledger: the one write path into `consent_events`. Each call appends its events and updates
 * the matching `consent_states` rows in a single transaction, holding the lock on the chain head, so the
 * chain stays linear with any number of Strapi instances on one database (docs/ledger.md).
 */
const ledger = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  const eventDocumentId = documentIds(strapi, UID.event);
  const stateDocumentId = documentIds(strapi, UID.state);

  /** Creates the head row once (at boot). */
  const ensureHead = () => ensureHeadRow(strapi, HEAD, GENESIS_HASH);
  const checkpointDocumentId = documentIds(strapi, UID.ledgerCheckpoint);

  /** Checkpoints as stored, oldest first, or the newest first a page at a time. */
  const readCheckpoints = async (
    page: { newestFirst?: boolean; offset?: number; limit?: number } = {}
  ): Promise<StoredCheckpoint[]> => {
    const q = knex()(TABLE.ledgerCheckpoint).select(['id', 'seq', 'event_id', 'hash', 'count', 'seal', 'created_at']);
    if (page.newestFirst)
      q.orderBy([
        { column: 'seq', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    else q.orderBy('id', 'asc');
    if (page.limit) q.limit(page.limit).offset(page.offset ?? 0);
    return (await q).map((r: Record<string, any>) => ({
      id: Number(r.id),
      seq: Number(r.seq),
      eventId: r.event_id,
      hash: r.hash,
      count: Number(r.count),
      seal: r.seal,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  };

  /**
   * Records that the chain verified up to this event: a row never updated or deleted
   * (database/checkpoint-guard.ts), sealed with the receipt key. Skipped when one already stands there.
   */
  const writeCheckpoint = async (
    event: { seq: number; eventId: string; hash: string },
    known: Map<number, StoredCheckpoint[]>
  ): Promise<PublicCheckpoint | null> => {
    if (known.get(event.seq)?.length) return null;
    const now = new Date();
    const checkpoint = checkpointOf(event, now);
    const seal = getService('receipts').signAs(checkpoint as unknown as Record<string, unknown>, CHECKPOINT_SEAL_TYPE);
    const at = new Date(checkpoint.createdAt);
    const [row] = await knex()(TABLE.ledgerCheckpoint)
      .insert({
        document_id: checkpointDocumentId(),
        seq: checkpoint.seq,
        event_id: checkpoint.eventId,
        hash: checkpoint.hash,
        count: checkpoint.count,
        seal,
        created_at: at,
        updated_at: at,
        published_at: at,
      })
      .returning('id');
    const id = typeof row === 'object' ? Number(row.id) : Number(row);
    return publicCheckpoint({ ...checkpoint, id, seal });
  };

  /**
   * Reads into `states` the stored states of these people for these purposes, one query per chunk of
   * people (one for a submission) instead of one per event. Keys already held are kept: they may have
   * moved in memory since.
   */
  const readStates = async (trx: unknown, states: Map<string, StateEntry>, subjects: string[], purposes: string[]) => {
    for (let i = 0; i < subjects.length; i += CHUNK) {
      const rows = await knex()(TABLE.state)
        .transacting(trx as never)
        .select(STATE_COLUMNS)
        .whereIn('subject', subjects.slice(i, i + CHUNK))
        .whereIn('purpose', purposes);
      for (const r of rows) {
        if (!states.has(stateKey(r)))
          states.set(stateKey(r), { id: Number(r.id), row: fromStateColumns(r), touched: false });
      }
    }
  };

  // The head as this transaction last locked or moved it. While the transaction holds the row lock no one
  // else can move the head, so a second read (lock() then append(), or two appends) is saved.
  const heads = new WeakMap<object, { seq: number | string; hash: string }>();
  type QueryBuilder = ReturnType<Knex>;

  /**
   * Takes the chain head's row lock for the current transaction (a no-op for SQLite's single writer), then
   * runs `reads` under it and answers their rows, in order. On PostgreSQL they all go in one round trip
   * (statements of one simple query): each statement of a READ COMMITTED transaction takes a new snapshot,
   * so a read sees everything the writer the lock waited for committed (in one statement, a `WITH` taking
   * the lock, it would not). Every round trip saved under the lock is a shorter wait for every writer
   * queued behind it.
   */
  const lockHead = async (trx: unknown, reads: QueryBuilder[] = []) => {
    let head = heads.get(trx as object);
    let rows: Record<string, unknown>[][] | null = null;
    if (!head) {
      const lock = knex()(TABLE.ledgerHead).where({ name: HEAD }).forUpdate().limit(1);
      if (reads.length && strapi.db.dialect.client === 'postgres') {
        // A simple query takes no parameters, so knex inlines them, escaped: the head's name and, from the
        // callers, identifier hashes (hex digests), never a value a request sent as such.
        const results = await (trx as Knex).raw([lock, ...reads].map((q) => q.toString()).join(';\n'));
        head = results[0].rows[0];
        rows = results.slice(1).map((r: { rows: Record<string, unknown>[] }) => r.rows);
      } else {
        head = await lock.transacting(trx as never).first();
      }
      if (!head) throw new Error('[consent] the ledger head is missing; was the plugin bootstrapped?');
      heads.set(trx as object, head);
    }
    if (!rows) {
      rows = [];
      for (const q of reads) rows.push((await q.transacting(trx as never)) as Record<string, unknown>[]);
    }
    return { head: head!, rows };
  };

  /**
   * The ledger's one bulk writer: rows built as `batch().writes()` builds them (chained events, the
   * states they make, the head moved on, and other owners' rows handed to the same write), written in
   * the caller's transaction, which holds the ledger lock (`lock()`). Submissions, messages and `append`
   * write their groups with it; the bench seed (bench/seed.cjs) and the tests that seed a large ledger
   * write through it too, so that no other code inserts into the ledger's tables.
   */
  const bulkWrite = async (writes: TableWrite[]): Promise<void> => {
    if (!strapi.db.inTransaction()) throw new Error('[consent] ledger.bulkWrite() needs a surrounding transaction');
    await writeAll(strapi, writes);
  };

  /**
   * Starts a batch in the current transaction, holding the head's lock: events added to it are chained
   * and their states moved in memory, then written by `write()` with one INSERT per table, however many
   * submissions they come from. `known` saves reads: the identifiers of the people concerned and which of
   * them were created in this transaction; it is read by `load()` and `writes()`, so a caller that finds
   * its people under the lock (`readUnderLock`) fills it after this call.
   */
  const batch = async (
    known: Map<string, KnownSubject> = new Map(),
    options: { readUnderLock?: QueryBuilder } = {}
  ): Promise<LedgerBatch & { readUnderLock: Record<string, unknown>[] }> => {
    if (!strapi.db.inTransaction()) throw new Error('[consent] ledger.batch() needs a surrounding transaction');
    return strapi.db.transaction(async ({ trx, onCommit }) => {
      // The row lock serialises appends across instances (PostgreSQL, MySQL); SQLite has one writer. The
      // webhook subscriptions and the caller's read go with it (one round trip on PostgreSQL).
      const outboxes = getService('webhook-outbox');
      const reads = [outboxes.subscriptionsQuery(), ...(options.readUnderLock ? [options.readUnderLock] : [])];
      const {
        head,
        rows: [hooks, readUnderLock = []],
      } = await lockHead(trx, reads);
      // The webhook deliveries of these events are written with them (D7): the outbox owns its rows, the
      // ledger's transaction carries them, so a rolled back event leaves no delivery and a committed one
      // is never lost.
      const outbox = await outboxes.open(trx, hooks);
      let seq = Number(head.seq);
      let prevHash: string = head.hash;
      const states = new Map<string, StateEntry>();
      const stored: StoredEvent[] = [];

      const open: LedgerBatch & { readUnderLock: Record<string, unknown>[] } = {
        readUnderLock,

        async load(subjects: string[], purposes: string[]) {
          const stateful = [...new Set(subjects)].filter((p) => !known.get(p)?.created);
          if (stateful.length && purposes.length) await readStates(trx, states, stateful, [...new Set(purposes)]);
        },

        state(subject: string, purpose: string, channel: string) {
          return states.get(stateKey({ subject, purpose, channel }))?.row ?? null;
        },

        add(events: NewEvent[]) {
          const added: StoredEvent[] = [];
          for (const { lifetimeDays, occurredAt, ...input } of events) {
            seq += 1;
            // Milliseconds are the finest time every supported database keeps, so the hash survives a read-back.
            const at = new Date(Math.floor((occurredAt ?? new Date()).getTime()));
            const event: StoredEvent = { ...input, seq, eventId: orderedId(), occurredAt: at, prevHash, hash: '' };
            event.hash = eventHash(event);
            // A use of the consent (`contacted`) leaves the state row as it is: not rewritten, not created.
            if (movesState(event.action)) {
              const key = stateKey(event);
              const current = states.get(key);
              states.set(key, {
                id: current?.id ?? null,
                row: nextState(current?.row ?? null, { ...event, lifetimeDays }),
                touched: true,
              });
            }
            added.push(event);
            prevHash = event.hash;
          }
          stored.push(...added);
          return added;
        },

        writes() {
          if (stored.length === 0) return [];
          const now = new Date();
          const written = stored.splice(0);
          // Plain multi-row INSERTs and keyed UPDATEs: the query engine would read every row back after
          // writing it, and these rows are never read through the Document Service.
          const writes: TableWrite[] = [
            {
              table: TABLE.event,
              insert: written.map((e) => ({ ...toEventColumns(e, now), document_id: eventDocumentId() })),
            },
          ];
          const created: Record<string, unknown>[] = [];
          for (const [key, entry] of states) {
            if (!entry.touched) continue;
            entry.touched = false;
            if (entry.id != null) {
              writes.push({
                table: TABLE.state,
                update: { where: { id: entry.id }, data: { ...toStateColumns(entry.row), updated_at: now } },
              });
              continue;
            }
            const [subject, purpose, channel] = key.split('\u0000');
            created.push({
              subject,
              purpose,
              channel,
              ...toStateColumns(entry.row),
              document_id: stateDocumentId(),
              created_at: now,
              updated_at: now,
              published_at: now,
            });
          }
          writes.push({ table: TABLE.state, insert: created });
          const deliveries = outbox.writes(written, now);
          writes.push(...deliveries);
          writes.push({ table: TABLE.ledgerHead, update: { where: { name: HEAD }, data: { seq, hash: prevHash } } });
          // Both only matter once the writes are committed: if they fail, the transaction is rolled back,
          // and with it this cache entry (keyed by the transaction) and the listeners' call.
          heads.set(trx as object, { seq, hash: prevHash });
          const identifiers = new Map([...known].map(([pseudonym, k]) => [pseudonym, k.identifiers]));
          onCommit(() => {
            if (deliveries.length) getService('webhook-outbox').kick();
            return getService('webhooks').emit(written, identifiers);
          });
          return writes;
        },

        write() {
          return bulkWrite(open.writes());
        },
      };
      return open;
    });
  };

  return {
    ensureHead,

    /**
     * Serialises the caller with every other ledger writer until its transaction ends: call it first in
     * a `strapi.db.transaction` that reads state and then appends (find-or-create a subject, then record),
     * so no concurrent writer can slip in between the read and the write.
     */
    async lock(): Promise<void> {
      if (!strapi.db.inTransaction()) throw new Error('[consent] ledger.lock() needs a surrounding transaction');
      await strapi.db.transaction(async ({ trx }) => {
        await lockHead(trx);
      });
    },

    batch,

    bulkWrite,

    /** The chain's last sequence number and hash: what an export stops at and a verifier compares with. */
    async head(): Promise<{ seq: number; hash: string }> {
      const head = await knex()(TABLE.ledgerHead).where({ name: HEAD }).first();
      return { seq: Number(head?.seq ?? 0), hash: head?.hash ?? GENESIS_HASH };
    },

    /**
     * The signed checkpoints up to `seq`, oldest first, with their seals: an export carries them for the
     * offline verifier (services/records.ts `ndjson`).
     */
    async checkpoints(seq: number): Promise<Omit<StoredCheckpoint, 'id'>[]> {
      return (await readCheckpoints()).filter((cp) => cp.seq <= seq).map(({ id: _id, ...cp }) => cp);
    },

    /**
     * The catalogue's cache stamp (services/catalogue.ts), kept as the `catalogue` row of the heads table
     * beside `main`, where it has always been: the ledger owns the table, the catalogue only asks. The
     * stamp is no link of the chain; nothing here hashes or locks it.
     */
    catalogueStamp: {
      /** Creates the row once (at boot). */
      ensure: (hash: string) => ensureHeadRow(strapi, CATALOGUE_STAMP, hash),
      /** The current stamp, '' before the row exists. One primary-key read, in the caller's transaction if any. */
      async read(): Promise<string> {
        const row = await onTable(strapi, TABLE.ledgerHead, (q) => q.where({ name: CATALOGUE_STAMP }).first('hash'));
        return row?.hash ?? '';
      },
      /** Replaces the stamp; joins the writer's transaction, so it changes exactly when the data does. */
      async replace(hash: string): Promise<void> {
        await onTable(strapi, TABLE.ledgerHead, (q) => q.where({ name: CATALOGUE_STAMP }).update({ hash }));
      },
    },

    ...ledgerReads(strapi),

    /** Appends events in order and updates their states, all or nothing. */
    async append(events: NewEvent[], known: Map<string, KnownSubject> = new Map()): Promise<StoredEvent[]> {
      if (events.length === 0) return [];
      return strapi.db.transaction(async () => {
        const open = await batch(known);
        await open.load(
          events.map((e) => e.subject),
          events.map((e) => e.purpose)
        );
        const stored = open.add(events);
        await open.write();
        return stored;
      });
    },

    /**
     * Walks the chain in sequence order and recomputes every link: a changed field, a deleted event or
     * two events swapped break it at the first affected event, and a removed tail no longer reaches the
     * head. Reads in pages, so memory stays flat whatever the ledger's size. From the first event
     * (`from: 'start'`, the default here; `?full=true` on the route) every signed checkpoint is checked
     * too, against its seal and against the chain; from the newest checkpoint whose seal verifies
     * (`from: 'checkpoint'`) only the events after it are. A verification that passed records a new
     * checkpoint at the head it reached (docs/ledger.md, "Checkpoints").
     */
    async verify(options: { from?: 'start' | 'checkpoint' } = {}): Promise<VerifyResult> {
      const full = options.from !== 'checkpoint';
      // Seals are checked against every key the plugin ever signed with, as receipts are.
      let keys: Jwk[] | null = null;
      const keyRing = async () => (keys ??= (await getService('receipts').jwks()).keys as unknown as Jwk[]);
      const problems: CheckpointProblem[] = [];
      const sealProblem = async (cp: StoredCheckpoint) => {
        const problem = checkpointProblem(cp, cp.seal ? verifyCompactJws(cp.seal, await keyRing()) : null);
        if (problem) problems.push({ id: cp.id, seq: cp.seq, problem });
        return problem;
      };

      // Checkpoints before the head: a checkpoint is written after its chain was verified up to a head read
      // earlier, and the head only grows, so none may lie beyond the head read after them.
      let start: StoredCheckpoint | null = null;
      const bySeq = new Map<number, StoredCheckpoint[]>();
      if (full) {
        for (const cp of await readCheckpoints()) {
          if (await sealProblem(cp)) continue;
          bySeq.set(cp.seq, [...(bySeq.get(cp.seq) ?? []), cp]);
        }
      } else {
        // The newest whose seal holds; newer ones that do not are reported, never started from.
        for (let offset = 0; !start; offset += CHECKPOINT_PAGE) {
          const page = await readCheckpoints({ newestFirst: true, offset, limit: CHECKPOINT_PAGE });
          for (const cp of page) {
            if (!(await sealProblem(cp))) {
              start = cp;
              break;
            }
          }
          if (page.length < CHECKPOINT_PAGE) break;
        }
      }
      const head = await knex()(TABLE.ledgerHead).where({ name: HEAD }).first();
      const headSeq = Number(head?.seq ?? 0);
      const headHash: string = head?.hash ?? GENESIS_HASH;

      let expectedSeq = 1;
      let prevHash = GENESIS_HASH;
      let lastEventId: string | null = null;
      let checked = 0;
      let pruned = 0;
      const from = start && publicCheckpoint(start);
      const result = (ok: boolean, firstBadEvent: VerifyResult['firstBadEvent']): VerifyResult => ({
        ok: ok && problems.length === 0,
        checked,
        pruned,
        firstBadEvent,
        full,
        from,
        checkpoint: null,
        badCheckpoints: problems,
      });
      const bad = (seq: number, eventId: string | null, problem: string) => result(false, { seq, eventId, problem });

      if (start) {
        if (start.seq > headSeq)
          return bad(headSeq + 1, null, `the chain ends at ${headSeq} but checkpoint ${start.id} says ${start.seq}`);
        // The checkpoint's event must still be the one it names: the events after it link to its hash.
        const at = await knex()(TABLE.event).select(['event_id', 'hash']).where('seq', start.seq).first();
        if (!at) return bad(start.seq, start.eventId, `event ${start.seq} is missing`);
        if (at.event_id !== start.eventId || at.hash !== start.hash)
          return bad(start.seq, at.event_id, `is not the event checkpoint ${start.id} vouches for`);
        expectedSeq = start.seq + 1;
        prevHash = start.hash;
        lastEventId = start.eventId;
      }

      // Read a page with knex, as arrays: hydrating pages through the query engine, and then the drivers'
      // objects per row, cost more than hashing them. Up to the head read above: events appended meanwhile
      // are the next verification's.
      const readPage = (fromSeq: number) =>
        rowArrays(
          strapi,
          knex()(TABLE.event)
            .select(VERIFY_COLUMNS)
            .where('seq', '>=', fromSeq)
            .andWhere('seq', '<=', headSeq)
            .orderBy('seq', 'asc')
            .limit(PAGE)
        );
      let next = expectedSeq <= headSeq ? readPage(expectedSeq) : null;
      while (next) {
        const rows = await next;
        // The next page is read while this one is hashed (PostgreSQL and MySQL answer on their own time).
        // It starts after this page's last row: if this page breaks the chain, it is never looked at.
        const last = rows.length === PAGE ? Number(rows[PAGE - 1][V.seq]) : headSeq;
        next = last < headSeq ? readPage(last + 1) : null;
        next?.catch(() => undefined);
        for (const v of rows) {
          const seq = Number(v[V.seq]);
          const eventId = v[V.eventId] as string;
          const hash = v[V.hash] as string;
          if (seq !== expectedSeq) return bad(expectedSeq, null, `event ${expectedSeq} is missing`);
          if (v[V.prevHash] !== prevHash) return bad(seq, eventId, 'does not link to the previous event');
          if (v[V.prunedAt] != null) {
            // I5: its hash cannot be recomputed; the next event's hash covers it (as its prevHash), and the
            // seal covers what remains.
            const row = fromEventColumns(verifyRowObject(v));
            const sealText = v[V.pruneSeal];
            const seal = typeof sealText === 'string' ? verifyCompactJws(sealText, await keyRing()) : null;
            if (!seal) return bad(seq, eventId, 'pruned without a seal');
            if (!seal.ok) return bad(seq, eventId, `its prune seal is not genuine (${seal.problem})`);
            const problem = prunedEventProblem({ ...row, prunedAt: v[V.prunedAt] as string | Date }, seal.payload);
            if (problem) return bad(seq, eventId, problem);
            pruned += 1;
          } else if (eventHashOfValues(v) !== hash) return bad(seq, eventId, 'content does not match its hash');
          for (const cp of bySeq.get(seq) ?? []) {
            if (cp.hash !== hash || cp.eventId !== eventId)
              problems.push({ id: cp.id, seq: cp.seq, problem: 'does not match the chain at its event' });
          }
          prevHash = hash;
          lastEventId = eventId;
          expectedSeq += 1;
          checked += 1;
        }
        if (rows.length < PAGE) break;
      }

      const reached = expectedSeq - 1;
      if (reached !== headSeq || headHash !== prevHash) {
        return bad(reached + 1, null, `the chain ends at ${reached} but its head says ${headSeq}`);
      }
      for (const [seq, cps] of bySeq) {
        if (seq > headSeq) for (const cp of cps) problems.push({ id: cp.id, seq, problem: 'lies beyond the head' });
      }
      const verified = result(true, null);
      if (verified.ok && headSeq > 0 && headSeq > (start?.seq ?? 0) && lastEventId) {
        verified.checkpoint = await writeCheckpoint({ seq: headSeq, eventId: lastEventId, hash: headHash }, bySeq);
      }
      return verified;
    },

    /**
     * I5: prunes the proof of these keys (person × purpose × channel), whose proof period the caller
     * judged over (services/retention.ts, domain/proof-pruning.ts): every event of the key loses its
     * `PRUNED_FIELDS`, gets `prunedAt` and a seal signed with the plugin's key over what remains, the
     * receipts no event names any more are deleted (services/receipts.ts `forget`), and the key's state
     * row goes, so `consent_states` still equals a replay (which skips pruned events: they no
     * longer name anyone). Hash, prevHash, seq and the rest stay, so the chain still verifies. The only
     * UPDATE the database triggers let through (database/ledger-guard.ts); runs under the head's lock in
     * the caller's transaction.
     */
    async prune(keys: ProofKey[], now = new Date()): Promise<{ events: number; states: number }> {
      if (!strapi.db.inTransaction()) throw new Error('[consent] ledger.prune() needs a surrounding transaction');
      if (keys.length === 0) return { events: 0, states: 0 };
      return strapi.db.transaction(async ({ trx }) => {
        await lockHead(trx);
        const prunedAt = new Date(Math.floor(now.getTime()));
        const wanted = new Set(keys.map(stateKey));
        const subjects = [...new Set(keys.map((k) => k.subject))];
        const cleared = Object.fromEntries(PRUNED_COLUMNS.map((c) => [c, null]));
        let events = 0;
        let states = 0;
        const receipts = new Set<string>();
        for (let i = 0; i < subjects.length; i += CHUNK) {
          const rows = await knex()(TABLE.event)
            .transacting(trx as never)
            .select(['id', ...EVENT_COLUMNS])
            .whereIn('subject', subjects.slice(i, i + CHUNK))
            .whereNull('pruned_at')
            .orderBy('seq', 'asc');
          for (const r of rows) {
            if (!wanted.has(stateKey(r))) continue;
            const seal = getService('receipts').signAs(
              pruneSealOf(fromEventColumns(r), prunedAt) as unknown as Record<string, unknown>,
              PRUNE_SEAL_TYPE
            );
            await knex()(TABLE.event)
              .transacting(trx as never)
              .where({ id: r.id })
              .update({ ...cleared, pruned_at: prunedAt, prune_seal: seal });
            if (r.receipt_id != null) receipts.add(r.receipt_id);
            events += 1;
          }
        }
        // A receipt covers one submission; once no event names it, it only names the person: it goes too.
        const named = new Set<string>();
        const ids = [...receipts];
        for (let i = 0; i < ids.length; i += CHUNK) {
          const rows = await knex()(TABLE.event)
            .transacting(trx as never)
            .distinct('receipt_id')
            .whereIn('receipt_id', ids.slice(i, i + CHUNK));
          for (const r of rows) named.add(r.receipt_id);
        }
        await getService('receipts').forget(
          ids.filter((id) => !named.has(id)),
          trx
        );
        for (const key of keys) {
          states += Number(
            await knex()(TABLE.state)
              .transacting(trx as never)
              .where({ subject: key.subject, purpose: key.purpose, channel: key.channel })
              .del()
          );
        }
        return { events, states };
      });
    },

    /**
     * Replays the ledger through `nextState` and compares the result with `consent_states` (spec 3: the
     * states always equal a replay; docs/ledger.md). People are taken a batch at a time in pseudonym
     * order, with all their events and states, so memory stays flat whatever the ledger's size; each batch
     * is read under the head's lock, so a write landing between the two reads cannot look like a drift.
     * A state whose person has no event at all is found by one more query. `subjects` limits the check
     * to these people (the tests' per-person check).
     */
    async replay(options: { subjects?: string[] } = {}): Promise<ReplayResult> {
      const mismatches: ReplayMismatch[] = [];
      let found = 0;
      let checked = 0;
      const report = (
        key: { subject: string; purpose: string; channel: string },
        expected: Replayed | null,
        actual: StateRow | null
      ) => {
        const fields = stateDifferences(expected, actual);
        if (fields.length === 0) return;
        found += 1;
        if (mismatches.length < MAX_MISMATCHES) {
          mismatches.push({
            ...key,
            fields,
            expected: expected && snapshot(expected.row),
            actual: actual && snapshot(actual),
          });
        }
      };

      const checkBatch = (people: string[]) =>
        strapi.db.transaction(async ({ trx }) => {
          await lockHead(trx);
          const events = await knex()(TABLE.event)
            .transacting(trx as never)
            .select(REPLAY_EVENT_COLUMNS)
            .whereIn('subject', people)
            .orderBy('seq', 'asc');
          const replayed = replayStates(events.map(toReplayEvent));
          const states = await knex()(TABLE.state)
            .transacting(trx as never)
            .select(STATE_COLUMNS)
            .whereIn('subject', people);
          const seen = new Set<string>();
          for (const r of states) {
            const key = { subject: r.subject, purpose: r.purpose, channel: r.channel };
            seen.add(replayKey(key));
            report(key, replayed.get(replayKey(key)) ?? null, fromStateColumns(r));
          }
          for (const [key, expected] of replayed) {
            if (seen.has(key)) continue;
            const [subject, purpose, channel] = key.split('\u0000');
            report({ subject, purpose, channel }, expected, null);
          }
          checked += seen.size + [...replayed.keys()].filter((k) => !seen.has(k)).length;
        });

      if (options.subjects) {
        const people = [...new Set(options.subjects)];
        for (let i = 0; i < people.length; i += REPLAY_PEOPLE) await checkBatch(people.slice(i, i + REPLAY_PEOPLE));
        return { ok: found === 0, checked, mismatches };
      }

      // Keyset over the people with events, in the database's own order (its collation, not JavaScript's).
      let after: string | null = null;
      for (;;) {
        // Pruned events (I5) name nobody: they move no state, and their key's state went with them.
        const q = knex()(TABLE.event)
          .distinct('subject')
          .whereNotNull('subject')
          .orderBy('subject', 'asc')
          .limit(REPLAY_PEOPLE);
        if (after != null) q.where('subject', '>', after);
        const people: string[] = (await q).map((r: { subject: string }) => r.subject);
        if (people.length === 0) break;
        await checkBatch(people);
        after = people[people.length - 1];
        if (people.length < REPLAY_PEOPLE) break;
      }
      // States of people without a single event, a page of states at a time: which of the page's people
      // have an event is one indexed lookup (`subject IN (...)`). Not a correlated NOT EXISTS: with stale
      // statistics after a bulk load PostgreSQL planned that as a scan of every event per state (hours at
      // 200,000 events). A person's first event and state are written in one transaction, so a state read
      // here whose event is not yet visible cannot exist.
      let afterId = 0;
      for (;;) {
        const page = await knex()(TABLE.state)
          .select(STATE_COLUMNS)
          .where('id', '>', afterId)
          .orderBy('id', 'asc')
          .limit(PAGE);
        if (page.length === 0) break;
        const subjects = [...new Set(page.map((r: { subject: string }) => r.subject))];
        const withEvents = new Set(
          (await knex()(TABLE.event).distinct('subject').whereIn('subject', subjects)).map(
            (r: { subject: string }) => r.subject
          )
        );
        for (const r of page) {
          if (withEvents.has(r.subject)) continue;
          checked += 1;
          report({ subject: r.subject, purpose: r.purpose, channel: r.channel }, null, fromStateColumns(r));
        }
        if (page.length < PAGE) break;
        afterId = Number(page[page.length - 1].id);
      }
      return { ok: found === 0, checked, mismatches };
    },
  };
};

export default ledger;
export type LedgerService = ReturnType<typeof ledger>;
