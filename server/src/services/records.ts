import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ACTIONS, type ConsentAction, type IdentifierType, type LegalBasis } from '../../../shared/contracts/domain';
import {
  CSV_COLUMNS,
  type ActionCounts,
  type EventNotice,
  type GetStats,
  type GetSubject,
  LEDGER_EXPORT_FORMAT,
  type LedgerExportEvent,
  type LedgerExportHeader,
  type ListEvents,
  type SubjectState,
} from '../../../shared/contracts/records';
import { HASHED_FIELDS, hashedFieldsOf } from '../domain/event-hash';
import { withdrawalTextFor } from '../domain/withdrawal-text';
import { toLedgerEvent as toEvent, toSubjectRecord } from '../utils/record-rows';
import { csvRow } from '../utils/csv';
import { getService } from '../utils/get-service';
import { iso, json, num } from '../utils/row-values';
import type { EventSelection } from '../validation/records';

type Row = Record<string, any>;

const PAGE = 1000;
const DAY_MS = 86_400_000;

const zeroCounts = (): ActionCounts => ({
  ...(Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<ConsentAction, number>),
  confirmationRate: null,
});
const withRate = (c: ActionCounts) => {
  c.confirmationRate = c.requested > 0 ? c.confirmed / c.requested : null;
  return c;
};

/**
 * Reading the ledger for admins: search and CSV export of events, one person's record with the notice
 * text behind each event, and counts per purpose and day. Read-only; the ledger service writes.
 */
const records = (_: { strapi: Core.Strapi }) => {
  const ledger = () => getService('ledger');

  /** The pseudonym an identifier belongs to, looked up by keyed hash as everywhere else. */
  const pseudonymOf = async (type: IdentifierType, value: string): Promise<string | null> => {
    let normalised;
    try {
      normalised = getService('subjects').normalise({ [type]: value }, 'query');
    } catch (error) {
      // normalise names `query.email`; on these routes the field is the query parameter itself.
      if (!(error instanceof errors.ValidationError)) throw error;
      const message = error.message.replace(/^query\./, '');
      throw new errors.ValidationError(message, { errors: [{ path: [type], message }] });
    }
    return (await getService('subjects').find(normalised))?.pseudonym ?? null;
  };

  /** The query-engine filter of a selection, or null when it can match nothing (an unknown address). */
  const whereOf = async (s: EventSelection): Promise<Row | null> => {
    const where: Row = {};
    if (s.email !== undefined) {
      const pseudonym = await pseudonymOf('email', s.email);
      if (!pseudonym) return null;
      where.subject = pseudonym;
    }
    if (s.subject) where.subject = s.subject;
    for (const key of ['purpose', 'channel', 'action', 'method'] as const) if (s[key]) where[key] = s[key];
    if (s.since || s.until) {
      where.occurredAt = { ...(s.since ? { $gte: s.since } : {}), ...(s.until ? { $lt: s.until } : {}) };
    }
    return where;
  };

  const noticesById = async (ids: number[]): Promise<Map<number, Row>> => {
    const rows: Row[] = await getService('notices').withIds(ids);
    return new Map(rows.map((r) => [Number(r.id), r]));
  };

  const noticeOf = (row: Row | undefined, basis: LegalBasis): EventNotice | null =>
    row
      ? {
          id: Number(row.id),
          version: Number(row.version),
          locale: row.language,
          hash: row.contentHash ?? null,
          title: row.title,
          body: row.body,
          withdrawal: withdrawalTextFor(row as { language: string; withdrawalText?: string | null }, basis),
          dataCategories: (row.dataCategories as string[] | null) ?? [],
          recipients: (row.recipients as string[] | null) ?? [],
          privacyPolicyUrl: row.privacyPolicyUrl ?? null,
        }
      : null;

  return {
    /** One page of the selection, newest first (by sequence number, the order of the chain). */
    async search(selection: EventSelection, page: number, pageSize: number): Promise<ListEvents.Response> {
      const where = await whereOf(selection);
      const [rows, total] = where
        ? await Promise.all([
            ledger().eventsPage(where, { offset: (page - 1) * pageSize, limit: pageSize }),
            ledger().countEvents(where),
          ])
        : [[], 0];
      return {
        data: (rows as Row[]).map(toEvent),
        meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } },
      };
    },

    /**
     * The selection as CSV lines, read in pages of 1,000 in ledger order, so memory stays flat however
     * large the export. The filter is resolved before the first line, so a bad address still answers 400.
     * No context or evidence: those may hold an IP address or a staff note; the pseudonym is the only
     * identifier an export carries.
     */
    async csv(selection: EventSelection): Promise<AsyncGenerator<string>> {
      const where = await whereOf(selection);
      return (async function* lines() {
        yield csvRow([...CSV_COLUMNS]);
        if (!where) return;
        let after = 0;
        for (;;) {
          const rows: Row[] = await ledger().eventsAfterSeq(where, { after, limit: PAGE });
          if (rows.length === 0) return;
          yield rows
            .map(toEvent)
            .map((e) => csvRow(CSV_COLUMNS.map((c) => e[c])))
            .join('');
          if (rows.length < PAGE) return;
          after = Number(rows[rows.length - 1].seq);
        }
      })();
    },

    /**
     * J1, J3: the selection as NDJSON for the offline verifier (verify/index.ts): a header with the head
     * and the filter, then one event per line with every hashed field as the hash reads it, its hash and
     * its receipt's JWS. Unlike the CSV it carries context and evidence, which the hash covers (so
     * possibly a truncated IP address or a staff note): without them no hash could be recomputed. An event
     * pruned at the end of its proof period (I5) has those fields null and carries `prunedAt` and its seal.
     * Events appended after the head was read are left out, so an unfiltered export is a whole chain.
     * Paged like the CSV, each page's receipts read in one query.
     */
    async ndjson(selection: EventSelection): Promise<AsyncGenerator<string>> {
      const where = await whereOf(selection);
      const head = await getService('ledger').head();
      const filter: LedgerExportHeader['filter'] = {};
      if (where?.subject ?? selection.subject) filter.subject = where?.subject ?? selection.subject;
      for (const key of ['purpose', 'channel', 'action', 'method'] as const)
        if (selection[key]) filter[key] = selection[key];
      if (selection.since) filter.since = selection.since.toISOString();
      if (selection.until) filter.until = selection.until.toISOString();
      // An unknown address still says it was filtered (to nobody), never that it is the whole ledger.
      if (selection.email !== undefined && !where) filter.subject = '';
      const header: LedgerExportHeader = {
        format: LEDGER_EXPORT_FORMAT,
        exportedAt: new Date().toISOString(),
        head,
        filter: Object.keys(filter).length ? filter : null,
        // Every export, filtered or not: a checkpoint names no person, and one whose event is in the file is
        // checked against it.
        checkpoints: await getService('ledger').checkpoints(head.seq),
      };
      const receiptsOf = async (ids: string[]): Promise<Map<string, string>> => {
        const rows = await getService('receipts').jwsOf(ids);
        return new Map(rows.map((r) => [r.receiptId, r.jws]));
      };
      return (async function* lines() {
        yield `${JSON.stringify(header)}\n`;
        if (!where) return;
        let after = 0;
        for (;;) {
          const rows: Row[] = await ledger().eventsAfterSeq(where, {
            after,
            upTo: head.seq,
            limit: PAGE,
            select: [...HASHED_FIELDS, 'hash', 'prunedAt', 'pruneSeal'],
          });
          if (rows.length === 0) return;
          const jws = await receiptsOf([...new Set(rows.map((r) => r.receiptId).filter((id) => id != null))]);
          yield rows
            .map((r) => {
              const line: LedgerExportEvent = {
                ...(hashedFieldsOf({ ...r, context: json(r.context), evidence: json(r.evidence) }) as Omit<
                  LedgerExportEvent,
                  'hash' | 'receipt'
                >),
                hash: r.hash,
                receipt: (r.receiptId != null && jws.get(r.receiptId)) || null,
              };
              // I5: a pruned event carries its seal, which the verifier checks instead of its hash.
              if (r.prunedAt != null)
                Object.assign(line, { prunedAt: new Date(r.prunedAt as string).toISOString(), pruneSeal: r.pruneSeal });
              return `${JSON.stringify(line)}\n`;
            })
            .join('');
          if (rows.length < PAGE) return;
          after = Number(rows[rows.length - 1].seq);
        }
      })();
    },

    /** `{ pseudonym }` of whoever holds this identifier; 404 when nobody does. */
    async findSubject(type: IdentifierType, value: string) {
      const pseudonym = await pseudonymOf(type, value);
      if (!pseudonym) throw new errors.NotFoundError(`No person with this ${type}`);
      return { pseudonym };
    },

    /** A person: identifiers, current states, and every event (oldest first) with its notice text. */
    async subject(pseudonym: string): Promise<GetSubject.Response['data']> {
      const subject = (await getService('subjects').byPseudonym(pseudonym)) as Row | null;
      if (!subject) throw new errors.NotFoundError(`No subject with pseudonym ${pseudonym}`);
      const [states, rows]: [Row[], Row[]] = await Promise.all([
        ledger().statesOfSubject(pseudonym),
        ledger().timelineOf(pseudonym),
      ]);
      const timeline = rows.map(toEvent);
      const reconsent = await getService('catalogue').reconsent([...new Set(states.map((s) => s.purpose as string))]);
      const notices = await noticesById([
        ...new Set(timeline.map((e) => e.noticeId).filter((id) => id != null)),
      ] as number[]);
      return {
        subject: toSubjectRecord(subject),
        states: states.map((s): SubjectState => ({
          purpose: s.purpose,
          channel: s.channel,
          state: s.state,
          legalBasis: s.legalBasis,
          noticeVersion: num(s.noticeVersion),
          changedAt: iso(s.changedAt)!,
          grantedAt: iso(s.grantedAt),
          expiresAt: iso(s.expiresAt),
          reconsentRequired: reconsent(s),
        })),
        timeline: timeline.map((e) => ({
          ...e,
          notice: e.noticeId == null ? null : noticeOf(notices.get(e.noticeId), e.legalBasis),
        })),
      };
    },

    /**
     * Counts per purpose, UTC day and action over `days` days from `from`, grouped in the database.
     * How a datetime is stored differs by driver and even by the server's time zone (SQLite: epoch
     * milliseconds; PostgreSQL and MySQL: the Node process's wall time in a column without zone), so
     * instead of a per-dialect date function each row is put in its day by comparing it with the day
     * boundaries bound as Dates: the driver converts those exactly as it converted the stored value.
     */
    async stats(from: Date, days: number): Promise<GetStats.Response['data']> {
      const dayKeys = Array.from({ length: days }, (_, i) =>
        new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10)
      );
      const bounds = dayKeys.slice(1).map((d) => new Date(`${d}T00:00:00.000Z`));
      const end = new Date(from.getTime() + days * DAY_MS);

      const purposes: Row[] = await getService('purposes').namesByKey();
      const keys = purposes.map((p) => p.key as string);
      // Purposes in use are never deleted, so every event's purpose is listed; filtering on them lets
      // the (purpose, occurred_at) index serve the query.
      const grouped: Row[] = await ledger().actionCountsByDay(keys, from, end, bounds);

      const totals = zeroCounts();
      const byPurpose = new Map(
        purposes.map((p) => [
          p.key as string,
          {
            purpose: p.key as string,
            name: (p.name as string) ?? null,
            totals: zeroCounts(),
            days: dayKeys.map((day) => ({ day, ...zeroCounts() })),
          },
        ])
      );
      for (const g of grouped) {
        const stats = byPurpose.get(g.purpose);
        const action = g.action as ConsentAction;
        const n = Number(g.n);
        if (!stats || !(action in totals)) continue;
        stats.days[Number(g.bucket)][action] += n;
        stats.totals[action] += n;
        totals[action] += n;
      }
      const list = [...byPurpose.values()];
      for (const p of list) {
        withRate(p.totals);
        p.days.forEach(withRate);
      }
      return {
        from: dayKeys[0],
        to: dayKeys[dayKeys.length - 1],
        days: dayKeys,
        totals: withRate(totals),
        purposes: list,
      };
    },
  };
};

export default records;
export type RecordsService = ReturnType<typeof records>;
