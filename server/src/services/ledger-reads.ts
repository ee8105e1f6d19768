import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { onTable, type QueryBuilder } from '../database/in-transaction';
import { EVENT_COLUMNS, STATE_COLUMNS } from '../database/ledger-rows';
import { ERASURE_MARK, type ReportPeriod } from '../domain/report-rules';

/**
 * The ledger's read side: every read of `consent_events` and `consent_states` other modules make, each a
 * named question asked by one or a few callers, spread into the ledger service (`getService('ledger')`),
 * so callers never name the tables. Nothing here writes; the write path, verification and replay are
 * `services/ledger.ts`.
 */
export const ledgerReads = (strapi: Core.Strapi) => {
  const knex = () => strapi.db.connection;
  /** Narrows a knex query to the report period's events. */
  const inPeriod = (q: any, period: ReportPeriod) =>
    q.where('occurred_at', '>=', period.since).andWhere('occurred_at', '<', period.until);

  /** The events with these sequence numbers, as stored (`select`: these columns only). */
  const eventsBySeq = async (seqs: (number | string)[], select?: string[]): Promise<Record<string, unknown>[]> => {
    if (seqs.length === 0) return [];
    return strapi.db.query(UID.event).findMany({ ...(select ? { select } : {}), where: { seq: { $in: seqs } } });
  };

  return {
    /** Which of these purposes any event names (their key and basis are then frozen: purposes.ts). */
    async purposesInUse(keys: string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows: { purpose: string }[] = await strapi.db
        .query(UID.event)
        .findMany({ select: ['purpose'], where: { purpose: { $in: keys } } });
      return new Set(rows.map((r) => r.purpose));
    },

    /** A person's events in chain order, as stored (the person's export, H1). */
    async eventsOf(subject: string): Promise<Record<string, unknown>[]> {
      return strapi.db.query(UID.event).findMany({ where: { subject }, orderBy: { seq: 'asc' } });
    },

    /** A person's states by purpose and channel, as stored (the person's export, H1). */
    async statesOfSubject(subject: string): Promise<Record<string, unknown>[]> {
      return strapi.db
        .query(UID.state)
        .findMany({ where: { subject }, orderBy: [{ purpose: 'asc' }, { channel: 'asc' }] });
    },

    /**
     * A person's state rows as stored, narrowed by purpose, channel or state when given (`select`: these
     * columns only; `byId`: in id order). One query, in the caller's transaction when there is one.
     */
    async statesOf(
      subject: string,
      filter: { purposes?: string[]; channel?: string; state?: string; select?: string[]; byId?: boolean } = {}
      // The query engine's rows, as each caller has always typed them.
    ): Promise<any[]> {
      return strapi.db.query(UID.state).findMany({
        ...(filter.select ? { select: filter.select } : {}),
        where: {
          subject,
          ...(filter.state ? { state: filter.state } : {}),
          ...(filter.channel ? { channel: filter.channel } : {}),
          ...(filter.purposes ? { purpose: { $in: filter.purposes } } : {}),
        },
        ...(filter.byId ? { orderBy: { id: 'asc' } } : {}),
      });
    },

    // Eligibility's and audiences' reads (services/eligibility.ts, services/audiences.ts): a check's hot
    // path, so knex in the caller's transaction, one statement per call (callers send at most 500 people).

    /**
     * Adds each person's state for this purpose and channel to a query of people, as `alias`, matched on
     * the column `on` (a left join: a person without one keeps nulls). A check reads a person and their
     * state in one statement this way, where a lookup then a state read made two.
     */
    joinStates(query: QueryBuilder, alias: string, on: string, purpose: string, channel: string): QueryBuilder {
      return query.leftJoin(`${TABLE.state} as ${alias}`, (join) =>
        join
          .on(`${alias}.subject`, '=', on)
          .andOnVal(`${alias}.purpose`, '=', purpose)
          .andOnVal(`${alias}.channel`, '=', channel)
      );
    },

    /** These people's states for one purpose and channel, in column form (database/ledger-rows STATE_COLUMNS). */
    async statesFor(pseudonyms: string[], purpose: string, channel: string): Promise<Record<string, unknown>[]> {
      if (pseudonyms.length === 0) return [];
      return onTable(strapi, TABLE.state, (q) =>
        q.select(STATE_COLUMNS).where({ purpose, channel }).whereIn('subject', pseudonyms)
      );
    },

    /**
     * A page of the `granted` states of one purpose and channel, as `alias`, in id order after `after`
     * (audiences: the planner walks the states by id, so each page costs the same however far in). The
     * caller selects the columns and joins the people (subjects.joinHolders).
     */
    grantedStatesPage(alias: string, purpose: string, channel: string, after: number | string): QueryBuilder {
      return knex()({ [alias]: TABLE.state })
        .where({ [`${alias}.purpose`]: purpose, [`${alias}.channel`]: channel, [`${alias}.state`]: 'granted' })
        .andWhere(`${alias}.id`, '>', after)
        .orderBy(`${alias}.id`, 'asc');
    },

    /** These people's events for one purpose and channel that carry evidence (soft opt-in, C1). */
    async evidenceOf(
      pseudonyms: string[],
      purpose: string,
      channel: string
    ): Promise<{ subject: string; seq: number | string; evidence: unknown }[]> {
      if (pseudonyms.length === 0) return [];
      return strapi.db.query(UID.event).findMany({
        select: ['subject', 'seq', 'evidence'],
        where: { purpose, channel, subject: { $in: pseudonyms }, evidence: { $notNull: true } },
      });
    },

    /** These people's events for one purpose and channel, with what `ownGrantAt` weighs (domain/suppression-rules). */
    async grantEvidenceOf(
      pseudonyms: string[],
      purpose: string,
      channel: string
    ): Promise<(Record<string, unknown> & { subject: string })[]> {
      if (pseudonyms.length === 0) return [];
      return strapi.db.query(UID.event).findMany({
        select: ['subject', 'seq', 'action', 'state', 'method', 'channel', 'noticeId', 'formKey', 'occurredAt'],
        where: { purpose, channel, subject: { $in: pseudonyms } },
      });
    },

    /** How many of a person's states are in one of these states (subjects.forgetIfUnneeded). */
    async countStatesOf(subject: string, states: string[]): Promise<number> {
      return strapi.db.query(UID.state).count({ where: { subject, state: { $in: states } } });
    },

    /** The request behind a pending state (link requests); eligibility reads a last event's evidence and actor (J2, G2, G5). */
    eventsBySeq,

    /** Who recorded these events (their `actor`), by `seq`: capture asks it of a person's grants (G2, G5). */
    async actors(seqs: number[]): Promise<Map<number, string>> {
      const rows = await eventsBySeq(seqs, ['seq', 'actor']);
      return new Map(rows.map((r) => [Number(r.seq), r.actor as string]));
    },

    /** The events with these ids in the ledger's column form (database/ledger-rows), for the webhook outbox. */
    async eventRowsById(eventIds: string[]): Promise<Record<string, any>[]> {
      return knex()(TABLE.event).select(EVENT_COLUMNS).whereIn('event_id', eventIds);
    },

    /** How many states of this purpose rest on these notice versions (notices.publish: re-consent, A11). */
    async countStatesUnder(purpose: string, noticeIds: number[]): Promise<number> {
      return strapi.db.query(UID.state).count({ where: { purpose, noticeId: { $in: noticeIds } } });
    },

    // The retention jobs' reads (services/retention.ts): each one query, in the caller's transaction when
    // there is one; rows as the query engine gives them, as each caller has always typed them.
    /** The grants `where` selects (ids or subjects) whose `expiresAt` is at or before `now`, by id (I7). */
    async grantsExpiringBy(
      where: { id: { $in: number[] } } | { subject: { $in: string[] } },
      now: Date
    ): Promise<any[]> {
      return strapi.db.query(UID.state).findMany({
        where: { ...where, state: 'granted', expiresAt: { $lte: now } },
        orderBy: { id: 'asc' },
      });
    },

    /** A page of the ids of grants whose `expiresAt` is at or before `now`, after `after` by id (I7). */
    async expiringGrantIds(now: Date, page: { after: number; limit: number }): Promise<{ id: number }[]> {
      return strapi.db.query(UID.state).findMany({
        select: ['id'],
        where: { id: { $gt: page.after }, state: 'granted', expiresAt: { $lte: now } },
        orderBy: { id: 'asc' },
        limit: page.limit,
      });
    },

    /** These people's grants, whole rows by id. */
    async grantsOf(pseudonyms: string[]): Promise<any[]> {
      return strapi.db.query(UID.state).findMany({
        where: { subject: { $in: pseudonyms }, state: 'granted' },
        orderBy: { id: 'asc' },
      });
    },

    /** These people's grants: subject, purpose, channel, state and `expiresAt` (I4 facts). */
    async grantKeysOf(pseudonyms: string[]): Promise<any[]> {
      return strapi.db.query(UID.state).findMany({
        select: ['subject', 'purpose', 'channel', 'state', 'expiresAt'],
        where: { subject: { $in: pseudonyms }, state: 'granted' },
      });
    },

    /** The subject and channel of each of these people's objections. */
    async objectionsOf(pseudonyms: string[]): Promise<{ subject: string; channel: string }[]> {
      return strapi.db.query(UID.state).findMany({
        select: ['subject', 'channel'],
        where: { subject: { $in: pseudonyms }, state: 'objected' },
      });
    },

    /** A page of the ids of states `ended` selects (I5 candidates), after `after` by id. */
    async endedStateIds(
      ended: Record<string, unknown>,
      page: { after: number; limit: number }
    ): Promise<{ id: number }[]> {
      return strapi.db.query(UID.state).findMany({
        select: ['id'],
        where: { id: { $gt: page.after }, ...ended },
        orderBy: { id: 'asc' },
        limit: page.limit,
      });
    },

    /** Those of these states `ended` still selects, whole rows (I5, re-read under the lock). */
    async endedStatesAmong(ids: number[], ended: Record<string, unknown>): Promise<any[]> {
      return strapi.db.query(UID.state).findMany({ where: { id: { $in: ids }, ...ended } });
    },

    /** These people's events on these channels with these actions after `after` (C8, I5: the proof clock). */
    async eventsAfter(
      pseudonyms: string[],
      filter: { channels: string[]; actions: string[]; after: Date }
    ): Promise<any[]> {
      return strapi.db.query(UID.event).findMany({
        select: ['subject', 'action', 'state', 'channel', 'legalBasis', 'occurredAt'],
        where: {
          subject: { $in: pseudonyms },
          channel: { $in: filter.channels },
          action: { $in: filter.actions },
          occurredAt: { $gt: filter.after },
        },
      });
    },

    /** When these people acted by these methods, by anyone but `notBy`, since `since` (I4 activity). */
    async actsSince(
      pseudonyms: string[],
      filter: { methods: string[]; notBy: string; since: Date }
    ): Promise<{ subject: string; occurredAt: string | Date }[]> {
      return strapi.db.query(UID.event).findMany({
        select: ['subject', 'occurredAt'],
        where: {
          subject: { $in: pseudonyms },
          method: { $in: filter.methods },
          actor: { $ne: filter.notBy },
          occurredAt: { $gte: filter.since },
        },
      });
    },

    /** The `contacted` events `actor` recorded for these people, with their evidence (I4 requests). */
    async contactsBy(
      actor: string,
      pseudonyms: string[]
    ): Promise<{ subject: string; purpose: string; occurredAt: string | Date; evidence: unknown }[]> {
      return strapi.db.query(UID.event).findMany({
        select: ['subject', 'purpose', 'occurredAt', 'evidence'],
        where: { subject: { $in: pseudonyms }, action: 'contacted', actor },
      });
    },

    /** When each of these people withdrew or objected (I3: an entry's period runs from the latest). */
    async optOutsOf(pseudonyms: string[]): Promise<{ subject: string; occurredAt: string | Date }[]> {
      return strapi.db.query(UID.event).findMany({
        select: ['subject', 'occurredAt'],
        where: { subject: { $in: pseudonyms }, action: { $in: ['withdrawn', 'objected'] } },
      });
    },

    /** The events not yet pruned of these people and purposes (I5: a key's history). */
    async unprunedEventsOf(pseudonyms: string[], purposes: string[]): Promise<any[]> {
      return strapi.db.query(UID.event).findMany({
        select: ['subject', 'purpose', 'channel', 'action', 'state', 'legalBasis', 'occurredAt'],
        where: { subject: { $in: pseudonyms }, purpose: { $in: purposes }, prunedAt: { $null: true } },
      });
    },

    // Re-permission (services/repermission.ts) and imports (services/imports.ts).
    /** The `contacted` events `actor` recorded for one person about these purposes after `since` (I4). */
    async contactsSince(
      actor: string,
      subject: string,
      purposes: string[],
      since: Date
    ): Promise<{ purpose: string; evidence: unknown }[]> {
      return strapi.db.query(UID.event).findMany({
        select: ['purpose', 'evidence'],
        where: { subject, action: 'contacted', actor, purpose: { $in: purposes }, occurredAt: { $gt: since } },
      });
    },

    /** A person's confirmations by link, with their evidence (an answer to a re-permission link, I4). */
    async linkConfirmationsOf(subject: string): Promise<{ purpose: string; channel: string; evidence: unknown }[]> {
      return strapi.db.query(UID.event).findMany({
        select: ['purpose', 'channel', 'evidence'],
        where: { subject, action: 'confirmed', method: 'link' },
      });
    },

    /** The state of each key of these people, when it changed and whether it waits for re-consent (imports). */
    async currentStatesOf(pseudonyms: string[]): Promise<
      {
        subject: string;
        purpose: string;
        channel: string;
        state: string;
        changedAt: string | Date;
        reconsentRequired: boolean | null;
      }[]
    > {
      return strapi.db.query(UID.state).findMany({
        select: ['subject', 'purpose', 'channel', 'state', 'changedAt', 'reconsentRequired'],
        where: { subject: { $in: pseudonyms } },
      });
    },

    // The admins' reads of the ledger (services/records.ts). `where` is a query-engine filter of events.
    /** A page of the events `where` selects, newest first by sequence number. */
    async eventsPage(where: Record<string, unknown>, page: { offset: number; limit: number }): Promise<any[]> {
      return strapi.db
        .query(UID.event)
        .findMany({ where, orderBy: { seq: 'desc' }, offset: page.offset, limit: page.limit });
    },

    /** How many events `where` selects. */
    async countEvents(where: Record<string, unknown>): Promise<number> {
      return strapi.db.query(UID.event).count({ where });
    },

    /**
     * The next `limit` events `where` selects after sequence number `after` (up to `upTo` when given), in
     * chain order (`select`: these columns only): one page of an export that reads the ledger page by page.
     */
    async eventsAfterSeq(
      where: Record<string, unknown>,
      page: { after: number; upTo?: number; limit: number; select?: string[] }
    ): Promise<any[]> {
      return strapi.db.query(UID.event).findMany({
        ...(page.select ? { select: page.select } : {}),
        where: { ...where, seq: page.upTo === undefined ? { $gt: page.after } : { $gt: page.after, $lte: page.upTo } },
        orderBy: { seq: 'asc' },
        limit: page.limit,
      });
    },

    /** A person's events as stored, oldest first by `occurredAt`, then by sequence number (their timeline). */
    async timelineOf(subject: string): Promise<Record<string, unknown>[]> {
      return strapi.db
        .query(UID.event)
        .findMany({ where: { subject }, orderBy: [{ occurredAt: 'asc' }, { seq: 'asc' }] });
    },

    /**
     * How many events of these purposes in [from, end) each action counts, per purpose and day: `dayStarts`
     * are the boundaries after the first day, bound as Dates so the driver converts them exactly as it
     * converted the stored value (no per-dialect date function). One grouped query; none without purposes.
     */
    async actionCountsByDay(
      purposes: string[],
      from: Date,
      end: Date,
      dayStarts: Date[]
    ): Promise<{ bucket: number | string; purpose: string; action: string; n: number | string }[]> {
      if (purposes.length === 0) return [];
      const db = knex();
      const bucket = dayStarts.length
        ? `CASE ${dayStarts.map((_, i) => `WHEN occurred_at < ? THEN ${i}`).join(' ')} ELSE ${dayStarts.length} END`
        : '0';
      return db
        .select('bucket', 'purpose', 'action')
        .count({ n: '*' })
        .from(
          db(TABLE.event)
            .select(db.raw(`${bucket} as bucket`, dayStarts), 'purpose', 'action')
            .whereIn('purpose', purposes)
            .andWhere('occurred_at', '>=', from)
            .andWhere('occurred_at', '<', end)
            .as('e')
        )
        .groupBy('bucket', 'purpose', 'action');
    },

    // The compliance report's aggregates (services/reports.ts, R1): computed in the database, never by
    // loading the period's events; `occurred_at` in [since, until).
    /** Per purpose and action, how many events of these purposes the period holds. */
    async actionCountsIn(
      purposes: string[],
      period: ReportPeriod
    ): Promise<{ purpose: string; action: string; n: number | string }[]> {
      return inPeriod(
        knex()(TABLE.event).select('purpose', 'action').count({ n: '*' }).whereIn('purpose', purposes),
        period
      ).groupBy('purpose', 'action');
    },

    /** Per purpose, how many of the period's events an erasure recorded (a mark in their evidence). */
    async erasureCountsIn(
      purposes: string[],
      period: ReportPeriod
    ): Promise<{ purpose: string; n: number | string }[]> {
      const client = strapi.db.dialect.client as string;
      const marked =
        client === 'postgres'
          ? knex().raw(`(evidence->>'${ERASURE_MARK}') = 'true'`)
          : client === 'mysql'
            ? knex().raw(`JSON_UNQUOTE(JSON_EXTRACT(evidence, '$.${ERASURE_MARK}')) = 'true'`)
            : knex().raw(`json_extract(evidence, '$.${ERASURE_MARK}') = 1`);
      return inPeriod(
        knex()(TABLE.event)
          .select('purpose')
          .count({ n: '*' })
          .whereIn('purpose', purposes)
          .whereNotNull('evidence')
          .andWhere(marked),
        period
      ).groupBy('purpose');
    },

    /** How many events of the purpose the period holds. */
    async countOfPurposeIn(purpose: string, period: ReportPeriod): Promise<number> {
      const [{ n }] = await inPeriod(knex()(TABLE.event).where('purpose', purpose), period).count({ n: '*' });
      return Number(n);
    },

    /**
     * The purpose's event at this offset of the period, by `occurredAt` then sequence number, in the
     * ledger's column form (database/ledger-rows): the (purpose, occurred_at) index walks the offset.
     */
    async eventOfPurposeAt(
      purpose: string,
      period: ReportPeriod,
      offset: number
    ): Promise<Record<string, any> | undefined> {
      const [row] = await inPeriod(knex()(TABLE.event).where('purpose', purpose), period)
        .select(EVENT_COLUMNS)
        .orderBy([{ column: 'occurred_at' }, { column: 'seq' }])
        .limit(1)
        .offset(offset);
      return row;
    },

    /**
     * The retention jobs' traces in the ledger (their `expired` events as actor `system`): how many and
     * the last in the period, then the last before its end.
     */
    async systemExpiries(
      actor: string,
      period: ReportPeriod
    ): Promise<{ inside?: { n?: number | string; last?: unknown }; before?: { last?: unknown } }> {
      const expiries = () => knex()(TABLE.event).where({ action: 'expired', actor });
      const [inside] = await inPeriod(expiries().count({ n: '*' }).max({ last: 'occurred_at' }), period);
      const [before] = await expiries().where('occurred_at', '<', period.until).max({ last: 'occurred_at' });
      return { inside, before };
    },

    /** Whether any event names this purpose. */
    async purposeInUse(key: string): Promise<boolean> {
      return (await strapi.db.query(UID.event).count({ where: { purpose: key } })) > 0;
    },
  };
};
