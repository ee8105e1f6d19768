import type { Core } from '@strapi/strapi';
import type { Channel } from '../../../shared/contracts/domain';
import type { Purpose } from '../../../shared/contracts/purposes';
import type { TokenPurpose } from '../domain/tokens';
import { tokenHash } from '../domain/tokens';
import { UID } from '../constants';
import { documentIds } from '../database/document-id';
import { GoneError } from '../errors';
import { getService } from '../utils/get-service';
import { iso, json } from '../utils/row-values';
import type { NewEvent } from './ledger';

/** What every request answered by a mailed link stores (double opt-in B1–B6, parental consent G2/G4). */
export interface LinkRequestRow {
  id: number;
  tokenHash: string;
  subject: string;
  receiptId: string | null;
  formKey: string | null;
  purposes: { purpose: string; noticeId: number | null }[];
  language: string | null;
  requestedAt: string | Date;
  mailSentAt: string | Date | null;
  confirmedAt: string | Date | null;
  expiresAt: string | Date;
}

/** A pending state an expiry turns into `expired`. */
export interface PendingState {
  purpose: string;
  channel: Channel;
}

/** A pending state with the event that made it pending (its last event, a `requested`). */
export interface PendingRequest extends PendingState {
  state: 'pending';
  /** The requesting event's row: its notice, form and receipt columns travel onto the confirming event. */
  request: Record<string, unknown> | null;
  /** That event's evidence: whose answer the state waits for (a parent's, G2: `awaitsParent`). */
  evidence: Record<string, unknown> | null;
}

/**
 * A person's pending states (of these purposes, on this channel when given), each with its requesting
 * event: who may answer a pending state (the mailed link, a verified number, a parent) depends on that
 * event's evidence. The one reader for double opt-in, phone verification and parental consent.
 */
export const pendingRequests = async (
  strapi: Core.Strapi,
  where: { subject: string; purposes?: string[]; channel?: Channel }
): Promise<PendingRequest[]> => {
  const states = (await getService('ledger').statesOf(where.subject, {
    select: ['purpose', 'channel', 'lastEventSeq'],
    state: 'pending',
    channel: where.channel,
    purposes: where.purposes,
  })) as { purpose: string; channel: Channel; lastEventSeq: number | string | null }[];
  const seqs = states.flatMap((s) => (s.lastEventSeq != null ? [s.lastEventSeq] : []));
  const events = await getService('ledger').eventsBySeq(seqs);
  const bySeq = new Map(events.map((e) => [String(e.seq), e]));
  return states.map(({ purpose, channel, lastEventSeq }) => {
    const request = lastEventSeq == null ? null : (bySeq.get(String(lastEventSeq)) ?? null);
    return { purpose, channel, state: 'pending' as const, request, evidence: json(request?.evidence) };
  });
};

const BATCH = 100;

/** Who and what a new request is for. */
export interface RequestInput {
  subject: string;
  receiptId: string;
  formKey: string | null;
  language: string;
  purposes: { purpose: string }[];
  now?: Date;
}

/**
 * The part of a link request's life that does not depend on what it asks for: issuing its token and row,
 * finding it by its token, naming its purposes as the form did, the confirm transaction's guard, the
 * evidence of the link, and the expiry job. The owner service (confirmations, parental-consents) keeps its
 * table and says which events a step writes; this only reads and writes the owner's table (`uid`) and
 * appends through the ledger service.
 */
export const linkRequests = <Row extends LinkRequestRow>(
  strapi: Core.Strapi,
  options: {
    uid: (typeof UID)[keyof typeof UID];
    use: TokenPurpose;
    /** The 410 for a token whose request row is gone (purged after expiry, or never kept). */
    purged: string;
    /** The 410 for a row deleted between the link's first read and the confirm transaction. */
    deleted: string;
    /** The `method` of the events the expiry job writes. */
    method: NewEvent['method'];
  }
) => {
  const query = () => strapi.db.query(options.uid);
  const documentId = documentIds(strapi, options.uid);

  /** The row a token belongs to; 400 for anything not issued by this plugin, 410 for a purged request. */
  const load = async (token: string): Promise<{ row: Row; expired: boolean }> => {
    const check = getService('tokens').read(token, options.use);
    const row: Row | null = await query().findOne({ where: { tokenHash: tokenHash(token) } });
    if (!row) throw new GoneError(options.purged, { resend: false });
    return { row, expired: check.expired || new Date(row.expiresAt).getTime() <= Date.now() };
  };

  /** The signed token of a request (bound to the person, the purposes and the receipt) and its times. */
  const mint = (input: RequestInput, ttlSeconds: number) => {
    const now = input.now ?? new Date();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    const token = getService('tokens').issue({
      use: options.use,
      sub: input.subject,
      purposes: input.purposes.map((p) => p.purpose),
      ref: input.receiptId,
      exp: Math.floor(expiresAt.getTime() / 1000),
    });
    return { now, expiresAt, token, hash: tokenHash(token) };
  };

  return {
    query,

    /**
     * A signed token bound to the person, the purposes and the receipt, and its request row (storing only
     * the token's hash; `extra`: the owner's own columns, by column name) as a row of the caller's group
     * write (database/write-all.ts), so a group of submissions inserts all its requests in one statement.
     */
    issue(
      input: RequestInput,
      ttlSeconds: number,
      extra: Record<string, unknown> = {}
    ): { token: string; tokenHash: string; expiresAt: Date; row: Record<string, unknown> } {
      const { now, expiresAt, token, hash } = mint(input, ttlSeconds);
      // The columns the query engine's create would write (it adds no published_at to these models).
      const row = {
        document_id: documentId(),
        token_hash: hash,
        subject: input.subject,
        receipt_id: input.receiptId,
        form_key: input.formKey,
        purposes: JSON.stringify(input.purposes),
        language: input.language,
        ...extra,
        requested_at: now,
        expires_at: expiresAt,
        created_at: now,
        updated_at: now,
      };
      return { token, tokenHash: hash, expiresAt, row };
    },

    /**
     * Inside the caller's transaction: a signed token bound to the person, the purposes and the
     * receipt, and the request row that stores only its hash (`extra`: the owner's own columns).
     */
    async create(
      input: RequestInput,
      ttlSeconds: number,
      extra: Record<string, unknown> = {}
    ): Promise<{ token: string; tokenHash: string; expiresAt: Date }> {
      const { now, expiresAt, token, hash } = mint(input, ttlSeconds);
      await query().create({
        data: {
          tokenHash: hash,
          subject: input.subject,
          receiptId: input.receiptId,
          formKey: input.formKey,
          purposes: input.purposes,
          language: input.language,
          ...extra,
          requestedAt: now,
          expiresAt,
        },
      });
      return { token, tokenHash: hash, expiresAt };
    },

    load,

    /**
     * The titles the person saw: the form labels each box with its notice's title, so the mail and pages
     * name a purpose the same way, from the notice version the request recorded. A request without one
     * (or whose notice row is gone) falls back to the purpose's name in the person's language.
     */
    async titlesOf(requested: { purpose: string; noticeId: number | null }[], language: string): Promise<string[]> {
      const ids = requested.map((p) => p.noticeId).filter((id): id is number => id != null);
      const rows = await getService('notices').titlesOf(ids);
      const names = await getService('purposes').namesIn(
        requested.map((p) => p.purpose),
        language
      );
      return requested.map((p, i) => rows.find((r) => String(r.id) === String(p.noticeId))?.title || names[i]);
    },

    /**
     * The link's button. A link that expired before it was used is a 410 (`expired`: its message and
     * whether a new mail can be asked for). Then, under the ledger lock, the request is re-read (a second
     * press or another instance may have confirmed it) and `events` says what the confirmation records,
     * appended with the row's update. Idempotent: an already confirmed request writes nothing.
     */
    async confirmOnce(
      token: string,
      expired: { message: string; resend: boolean },
      events: (
        row: Row,
        confirmedAt: Date,
        purposes: Map<string, Purpose>
      ) => Promise<{ events: NewEvent[]; update: Record<string, unknown> }>
    ): Promise<{ row: Row; status: 'confirmed' | 'already-confirmed' }> {
      const first = await load(token);
      if (first.expired && !first.row.confirmedAt) throw new GoneError(expired.message, { resend: expired.resend });
      const status = await strapi.db.transaction(async () => {
        await getService('ledger').lock();
        const row: Row | null = await query().findOne({ where: { id: first.row.id } });
        if (!row) throw new GoneError(options.deleted, { resend: false });
        if (row.confirmedAt) return 'already-confirmed' as const;
        const purposes = await getService('purposes').byKeys(row.purposes.map((p) => p.purpose));
        const confirmedAt = new Date();
        const written = await events(row, confirmedAt, purposes);
        await getService('ledger').append(written.events);
        await query().update({ where: { id: row.id }, data: { confirmedAt, ...written.update } });
        return 'confirmed' as const;
      });
      return { row: first.row, status };
    },

    /** The notice version the request recorded for a purpose: what the confirmation agrees to (B3). */
    noticeOf(p: {
      noticeId: number | null;
      noticeVersion: number | null;
      noticeHash: string | null;
      noticeLanguage: string | null;
    }) {
      return {
        noticeId: p.noticeId,
        noticeVersion: p.noticeVersion,
        noticeHash: p.noticeHash,
        noticeLanguage: p.noticeLanguage,
      };
    },

    /** What a confirmation's evidence says of the link it came by: which request, and when it went and came back. */
    linkEvidence(row: Row, confirmedAt: Date) {
      return {
        tokenHash: row.tokenHash,
        requestedAt: iso(row.requestedAt),
        mailSentAt: iso(row.mailSentAt),
        confirmedAt: confirmedAt.toISOString(),
      };
    },

    /**
     * The expiry job: every unconfirmed request `where` selects is re-read under the ledger lock, the
     * states `pending` picks become `expired` (actor `system`, `evidence.reason`), the row is deleted and
     * a person left with nothing to honour loses their identifiers (B4). Idempotent and safe on several
     * instances.
     */
    async expire(input: {
      now: Date;
      where: Record<string, unknown>;
      reason: string;
      pending: (row: Row) => Promise<PendingState[]>;
    }): Promise<{ expired: number; requests: number }> {
      const { now } = input;
      let expired = 0;
      let requests = 0;
      for (;;) {
        const rows: Row[] = await query().findMany({
          where: { confirmedAt: { $null: true }, ...input.where },
          orderBy: { id: 'asc' },
          limit: BATCH,
        });
        if (rows.length === 0) break;
        for (const candidate of rows) {
          expired += await strapi.db.transaction(async () => {
            await getService('ledger').lock();
            const row: Row | null = await query().findOne({ where: { id: candidate.id } });
            if (!row || row.confirmedAt) return 0;
            const pending = await input.pending(row);
            const purposes = await getService('purposes').byKeys(row.purposes.map((p) => p.purpose));
            await getService('ledger').append(
              pending.map((s): NewEvent => ({
                subject: row.subject,
                purpose: s.purpose,
                channel: s.channel,
                action: 'expired',
                state: 'expired',
                method: options.method,
                legalBasis: purposes.get(s.purpose)?.legalBasis ?? 'consent',
                actor: 'system',
                formKey: row.formKey,
                receiptId: row.receiptId,
                evidence: { reason: input.reason, requestedAt: iso(row.requestedAt), tokenHash: row.tokenHash },
                occurredAt: now,
              }))
            );
            await query().delete({ where: { id: row.id } });
            await getService('subjects').forgetIfUnneeded(row.subject, now);
            requests += 1;
            return pending.length;
          });
        }
      }
      return { expired, requests };
    },
  };
};
