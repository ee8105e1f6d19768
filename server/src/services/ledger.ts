import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Channel, ConsentAction, ConsentMethod, ConsentState, LegalBasis } from '../../../shared/contracts/domain';
import { TABLE, UID } from '../constants';
import { nextState, type StateRow } from '../domain/consent-state';
import { eventHash, GENESIS_HASH } from '../domain/event-hash';
import { getService } from '../utils/get-service';

/** What a caller records; the ledger adds the event id, sequence number, time and chain hashes. */
export interface NewEvent {
  subject: string;
  purpose: string;
  channel: Channel;
  action: ConsentAction;
  state: ConsentState;
  method: ConsentMethod;
  legalBasis: LegalBasis;
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

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadEvent: null | { seq: number; eventId: string | null; problem: string };
}

const HEAD = 'main';
const PAGE = 1000;

type Knex = Core.Strapi['db']['connection'];

/**
 * The consent ledger: the one write path into `consent_events`. Each call appends its events and updates
 * the matching `consent_states` rows in a single transaction, holding the lock on the chain head, so the
 * chain stays linear with any number of Strapi instances on one database (docs/ledger.md).
 */
const ledger = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;

  /** Creates the head row once; several instances booting at once may race, the unique index settles it. */
  const ensureHead = async () => {
    const exists = await knex()(TABLE.ledgerHead).where({ name: HEAD }).first();
    if (exists) return;
    try {
      await strapi.db.query(UID.ledgerHead).create({ data: { name: HEAD, seq: 0, hash: GENESIS_HASH } });
    } catch (error) {
      if (!(await knex()(TABLE.ledgerHead).where({ name: HEAD }).first())) throw error;
    }
  };

  const upsertState = async (event: StoredEvent, lifetimeDays: number | null | undefined) => {
    const key = { subject: event.subject, purpose: event.purpose, channel: event.channel };
    const query = strapi.db.query(UID.state);
    const current = await query.findOne({ where: key });
    const previous: StateRow | null = current
      ? { ...current, lastEventSeq: Number(current.lastEventSeq), changedAt: new Date(current.changedAt) }
      : null;
    const next = nextState(previous, { ...event, lifetimeDays });
    if (current) await query.update({ where: { id: current.id }, data: next });
    else await query.create({ data: { ...key, ...next } });
  };

  /** Takes the chain head's row lock for the current transaction (a no-op for SQLite's single writer). */
  const lockHead = async (trx: unknown) => {
    const head = await knex()(TABLE.ledgerHead)
      .transacting(trx as never)
      .where({ name: HEAD })
      .forUpdate()
      .first();
    if (!head) throw new Error('[consent] the ledger head is missing; was the plugin bootstrapped?');
    return head;
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

    /** Appends events in order and updates their states, all or nothing. */
    async append(events: NewEvent[]): Promise<StoredEvent[]> {
      if (events.length === 0) return [];
      return strapi.db.transaction(async ({ trx, onCommit }) => {
        // The row lock serialises appends across instances (PostgreSQL, MySQL); SQLite has one writer.
        const head = await lockHead(trx);
        let seq = Number(head.seq);
        let prevHash: string = head.hash;
        const stored: StoredEvent[] = [];
        for (const { lifetimeDays, occurredAt, ...input } of events) {
          seq += 1;
          // Milliseconds are the finest time every supported database keeps, so the hash survives a read-back.
          const at = new Date(Math.floor((occurredAt ?? new Date()).getTime()));
          const event: StoredEvent = { ...input, seq, eventId: randomUUID(), occurredAt: at, prevHash, hash: '' };
          event.hash = eventHash(event);
          await strapi.db.query(UID.event).create({ data: event });
          await upsertState(event, lifetimeDays);
          stored.push(event);
          prevHash = event.hash;
        }
        await knex()(TABLE.ledgerHead).transacting(trx).where({ name: HEAD }).update({ seq, hash: prevHash });
        // Listeners and webhooks hear of events only once they are committed (with a surrounding
        // transaction, such as the form hook's, when that one commits).
        onCommit(() => getService('webhooks').emit(stored));
        return stored;
      });
    },

    /**
     * Walks the chain in sequence order and recomputes every link: a changed field, a deleted event or
     * two events swapped break it at the first affected event, and a removed tail no longer reaches the
     * head. Reads in pages, so memory stays flat whatever the ledger's size.
     */
    async verify(): Promise<VerifyResult> {
      const head = await knex()(TABLE.ledgerHead).where({ name: HEAD }).first();
      let expectedSeq = 1;
      let prevHash = GENESIS_HASH;
      let checked = 0;
      const bad = (seq: number, eventId: string | null, problem: string): VerifyResult => ({
        ok: false,
        checked,
        firstBadEvent: { seq, eventId, problem },
      });

      for (;;) {
        const rows = await strapi.db.query(UID.event).findMany({
          where: { seq: { $gte: expectedSeq } },
          orderBy: { seq: 'asc' },
          limit: PAGE,
        });
        for (const row of rows) {
          const seq = Number(row.seq);
          if (seq !== expectedSeq) return bad(expectedSeq, null, `event ${expectedSeq} is missing`);
          if (row.prevHash !== prevHash) return bad(seq, row.eventId, 'does not link to the previous event');
          if (eventHash(row) !== row.hash) return bad(seq, row.eventId, 'content does not match its hash');
          prevHash = row.hash;
          expectedSeq += 1;
          checked += 1;
        }
        if (rows.length < PAGE) break;
      }

      const headSeq = Number(head?.seq ?? 0);
      if (headSeq !== checked || (head?.hash ?? GENESIS_HASH) !== prevHash) {
        return bad(checked + 1, null, `the chain ends at ${checked} but its head says ${headSeq}`);
      }
      return { ok: true, checked, firstBadEvent: null };
    },
  };
};

export default ledger;
export type LedgerService = ReturnType<typeof ledger>;
