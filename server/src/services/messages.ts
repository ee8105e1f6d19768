import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, TABLE, UID } from '../constants';
import { documentIds } from '../database/document-id';
import { onTable, type QueryBuilder } from '../database/in-transaction';
import { writeAll } from '../database/write-all';
import {
  FAILURE_REASONS,
  jobStatus,
  missingOptOut,
  recoveredStatus,
  renderMessage,
  type MessageKind,
  type MessageTemplate,
  type RecipientFilter,
  type RecipientStatus,
} from '../domain/message-rules';
import { getService } from '../utils/get-service';
import { redactIdentifiers } from '../utils/redact';
import { sendMail } from '../utils/plugin-mail';
import { invalid } from '../validation/messages';
import { json } from '../utils/row-values';
import type { NewEvent } from './ledger';

/** A recipient as an internal caller gives it: `placeholders` fill the template's own `{{names}}` (kind `system`). */
export interface MessageRecipientInput {
  email: string;
  placeholders?: Record<string, string>;
  /**
   * Added to the evidence of this recipient's `contacted` event (its `kind` replaces `sent`; `message` is
   * always the job's id): what an internal caller needs to find the mail on the ledger again, e.g. the
   * re-permission request's token hash and deadline (services/repermission.ts).
   */
  evidence?: Record<string, unknown>;
}

export interface MessageInput {
  purpose: string;
  channel: 'email';
  recipients?: MessageRecipientInput[];
  /** A purpose key: the people its audience holds on email (services/audiences.ts), read page by page. */
  audience?: string;
  template: MessageTemplate;
  kind?: MessageKind;
}

export interface MessageCounts {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  skipped: number;
  failed: number;
}

interface RecipientRow {
  id: number;
  position: number;
  email: string | null;
  subject: string | null;
  status: RecipientStatus;
  reasons: string[] | null;
  placeholders: Record<string, string> | null;
  evidence: Record<string, unknown> | null;
}

/** A mail that left, to be proven by a `contacted` event. */
interface SentMail {
  id: number;
  subject: string;
  sentAt: Date;
  evidence: Record<string, unknown> | null;
}

interface JobRow {
  id: number;
  purpose: string;
  channel: string;
  kind: MessageKind;
  status: string;
  subject: string;
  html: string;
  text: string;
  audience: string | null;
  total: number;
  actor: string;
  startedAt: string | Date | null;
  finishedAt: string | Date | null;
  createdAt: string | Date;
}

// Mails handed to the provider at once within a batch: enough to hide an SMTP round trip, few enough
// not to open a connection per recipient on a provider without a pool.
const SEND_CONCURRENCY = 8;
// Mails marked `sending` together: at most this many are recorded `interrupted` if an instance stops mid-send.
const SEND_SLICE = 25;
// Recipient rows inserted per statement when a job is created.
const INSERT_PAGE = 500;

const toRecipient = (r: Record<string, any>): RecipientRow => ({
  id: Number(r.id),
  position: Number(r.position),
  email: r.email ?? null,
  subject: r.subject ?? null,
  status: r.status,
  reasons: json(r.reasons) ?? null,
  placeholders: json(r.placeholders) ?? null,
  evidence: json(r.evidence) ?? null,
});

const dateOf = (v: unknown): string | null => (v == null ? null : new Date(v as string).toISOString());

/**
 * Consent-gated sending (D4, E1–E7; issue 16): a message is a persistent job, one row per recipient.
 * Workers (one per instance, started at bootstrap, stopped at destroy) take the recipients `batchSize` at
 * a time with a conditional update (two instances never take the same row), check each batch's
 * eligibility at that moment (services/eligibility `checkMany`), send each eligible person their own mail
 * through Strapi's email plugin with the one-click headers (E1) and their own links in the body (E6), and
 * record one `contacted` event per mail sent, a batch at a time, on the ledger. Sending is at most once:
 * a row is marked `sending` before it is handed to the provider, and a row found `sending` after a stop
 * is recorded `failed` (`interrupted`), never sent again (domain/message-rules `recoveredStatus`).
 */
const messages = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).messages;
  const knex = () => strapi.db.connection;
  const recipientDocumentId = documentIds(strapi, UID.messageRecipient);

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let again = false;
  // When this instance last recovered stale claims (0: not yet, so the first run after start does).
  let recoveredAt = 0;
  // Audiences being read into recipient rows by this instance (enqueue answers before they are complete).
  const filling = new Set<Promise<void>>();
  let closing = false;

  const recipientRows = (message: number, from: number, list: MessageRecipientInput[]) => {
    const now = new Date();
    return list.map((r, i) => ({
      document_id: recipientDocumentId(),
      message,
      position: from + i,
      email: r.email,
      status: 'queued',
      placeholders: r.placeholders ? JSON.stringify(r.placeholders) : null,
      evidence: r.evidence ? JSON.stringify(r.evidence) : null,
      created_at: now,
      updated_at: now,
      published_at: now,
    }));
  };

  /**
   * The addresses of a page not yet among the job's recipients, each once: two people can share an
   * address (a household, an address given again after a change), and one address gets one mail. Checked
   * against the stored rows, so memory stays flat over a large audience.
   */
  const newAddresses = async (message: number, emails: string[]): Promise<string[]> => {
    const unique = [...new Set(emails)];
    if (unique.length === 0) return [];
    const taken = new Set<string>();
    for (let i = 0; i < unique.length; i += INSERT_PAGE) {
      const rows: { email: string }[] = await knex()(TABLE.messageRecipient)
        .select('email')
        .where({ message })
        .whereIn('email', unique.slice(i, i + INSERT_PAGE));
      for (const r of rows) taken.add(r.email);
    }
    return unique.filter((e) => !taken.has(e));
  };

  const countsOf = async (ids: number[]): Promise<Map<number, MessageCounts>> => {
    const out = new Map<number, MessageCounts>(
      ids.map((id) => [id, { total: 0, queued: 0, sending: 0, sent: 0, skipped: 0, failed: 0 }])
    );
    if (ids.length === 0) return out;
    const rows: { message: number; status: RecipientStatus; n: number | string }[] = await knex()(
      TABLE.messageRecipient
    )
      .select('message', 'status')
      .count({ n: '*' })
      .whereIn('message', ids)
      .groupBy('message', 'status');
    for (const r of rows) {
      const c = out.get(Number(r.message))!;
      const n = Number(r.n);
      c.total += n;
      if (r.status === 'claimed' || r.status === 'sending') c.sending += n;
      else c[r.status] += n;
    }
    return out;
  };

  const publicStatus = (job: JobRow, c: MessageCounts) =>
    job.status === 'preparing'
      ? 'queued'
      : job.status === 'failed'
        ? 'failed'
        : jobStatus({ total: c.total, queued: c.queued, inFlight: c.sending }, !!job.startedAt);

  /** A job whose audience was never read whole: none of it was sent, and no worker takes it. */
  const failedJob = () => ({ status: 'failed', total: 0, finished_at: new Date(), updated_at: new Date() });

  const summary = (job: JobRow, c: MessageCounts) => ({
    id: job.id,
    purpose: job.purpose,
    channel: job.channel,
    kind: job.kind,
    subject: job.subject,
    audience: job.audience,
    status: publicStatus(job, c),
    counts: {
      total: c.total,
      sent: c.sent,
      skipped: c.skipped,
      failed: c.failed,
      queued: c.queued,
      sending: c.sending,
    },
    createdAt: dateOf(job.createdAt),
    startedAt: dateOf(job.startedAt),
    finishedAt: dateOf(job.finishedAt),
  });

  // ── the worker ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Rows whose claim went stale (their instance stopped): `claimed` ones go back to the queue, `sending`
   * ones become `failed` (at most once); sent rows whose `contacted` event was never written get it now.
   */
  const recover = async () => {
    const cutoff = new Date(Date.now() - config().claimTimeoutSeconds * 1000);
    const stale: Record<string, any>[] = await knex()(TABLE.messageRecipient)
      .select('id', 'message', 'status')
      .whereIn('status', ['claimed', 'sending'])
      .where('claimed_at', '<', cutoff);
    for (const status of ['claimed', 'sending'] as const) {
      const ids = stale.filter((r) => r.status === status).map((r) => Number(r.id));
      const next = recoveredStatus(status)!;
      for (let i = 0; i < ids.length; i += INSERT_PAGE) {
        await knex()(TABLE.messageRecipient)
          .whereIn('id', ids.slice(i, i + INSERT_PAGE))
          .where({ status })
          .update({
            status: next.status,
            claim: null,
            reasons: next.reason ? JSON.stringify([next.reason]) : null,
            updated_at: new Date(),
          });
      }
      if (status === 'sending' && ids.length)
        strapi.log.warn(
          `[consent] ${ids.length} message recipient(s) were being sent when an instance stopped: recorded failed (interrupted), not sent again`
        );
    }
    // Sent, never recorded: the instance stopped between the mail and its ledger batch.
    const unrecorded: Record<string, any>[] = await knex()(TABLE.messageRecipient)
      .select('id', 'message', 'subject', 'sent_at', 'evidence')
      .where({ status: 'sent' })
      .whereNull('recorded_at')
      .where('claimed_at', '<', cutoff)
      .limit(10_000);
    const byJob = new Map<number, Record<string, any>[]>();
    for (const r of unrecorded) byJob.set(Number(r.message), [...(byJob.get(Number(r.message)) ?? []), r]);
    for (const [id, rows] of byJob) {
      const job = (await strapi.db.query(UID.message).findOne({ where: { id } })) as JobRow | null;
      if (job)
        await recordContacts(
          job,
          await legalBasisOf(job),
          rows.map((r) => ({
            id: Number(r.id),
            subject: r.subject,
            sentAt: r.sent_at ? new Date(r.sent_at) : new Date(),
            evidence: json(r.evidence) ?? null,
          }))
        );
    }
    // An audience being read when its instance stopped: nothing of it was sent; its rows are dropped and
    // the job stays, `failed`, so whoever queued it learns what became of it (a 404 would say it never
    // existed). Judged by the job's heartbeat (`updated_at`, touched after each page), not its age: a large
    // audience another live instance is still reading can take longer than the claim timeout.
    const abandoned: { id: number | string }[] = await knex()(TABLE.message)
      .select('id')
      .where({ status: 'preparing' })
      .where('updated_at', '<', cutoff);
    for (const { id } of abandoned) {
      // Conditional: the job that moved on (its reader finished it) or that another instance dropped first is left.
      const dropped = await knex()(TABLE.message)
        .where({ id, status: 'preparing' })
        .where('updated_at', '<', cutoff)
        .update(failedJob());
      if (!dropped) continue;
      await knex()(TABLE.messageRecipient).where({ message: id }).delete();
      strapi.log.warn(
        `[consent] message ${id}: its audience was still being read when an instance stopped; nothing was sent, it is recorded failed`
      );
    }
  };

  /**
   * One `contacted` event per mail sent (C8, I5), appended in the caller's transaction under the ledger
   * lock, with the rows it proves marked recorded.
   */
  const appendContacts = async (job: JobRow, basis: string, sent: SentMail[]) => {
    if (sent.length === 0) return;
    const ledger = getService('ledger');
    await ledger.lock();
    const open = await ledger.batch();
    await open.load(
      sent.map((s) => s.subject),
      [job.purpose]
    );
    open.add(
      sent.map((s): NewEvent => {
        const current = open.state(s.subject, job.purpose, 'email');
        return {
          subject: s.subject,
          purpose: job.purpose,
          channel: 'email',
          action: 'contacted',
          // What the mail relied on, unchanged: a `contacted` event never moves a state.
          state: current?.state ?? 'none',
          method: 'api',
          legalBasis: (current?.legalBasis ?? basis) as NewEvent['legalBasis'],
          actor: job.actor,
          evidence: { kind: 'sent', ...(s.evidence ?? {}), message: job.id },
          occurredAt: s.sentAt,
        };
      })
    );
    await getService('ledger').bulkWrite(open.writes());
    const now = new Date();
    for (let i = 0; i < sent.length; i += INSERT_PAGE) {
      await onTable(strapi, TABLE.messageRecipient, (q) =>
        q
          .whereIn(
            'id',
            sent.slice(i, i + INSERT_PAGE).map((s) => s.id)
          )
          .update({ recorded_at: now, updated_at: now })
      );
    }
  };

  /**
   * Rows sent but never recorded (their instance stopped in between): their events now, once. Two
   * instances recovering at once read the same rows; under the ledger lock only those still unrecorded
   * are recorded, so the second finds them done.
   */
  const recordContacts = (job: JobRow, basis: string, sent: SentMail[]) =>
    strapi.db.transaction(async () => {
      await getService('ledger').lock();
      const open = new Set<number>();
      for (let i = 0; i < sent.length; i += INSERT_PAGE) {
        const rows: { id: number | string }[] = await onTable(strapi, TABLE.messageRecipient, (q) =>
          q
            .select('id')
            .whereIn(
              'id',
              sent.slice(i, i + INSERT_PAGE).map((s) => s.id)
            )
            .where({ status: 'sent' })
            .whereNull('recorded_at')
        );
        for (const r of rows) open.add(Number(r.id));
      }
      await appendContacts(
        job,
        basis,
        sent.filter((s) => open.has(s.id))
      );
    });

  /** The legal basis a `contacted` event names for someone without a state on the job's purpose. */
  const legalBasisOf = async (job: JobRow): Promise<string> =>
    (await getService('purposes').byKeys([job.purpose])).get(job.purpose)?.legalBasis ?? 'consent';

  /**
   * Marks `sent` the rows of `page` still held by `claim`, each with its own person and time, in one
   * statement: the per-row values are `CASE id WHEN … THEN …` (its `ELSE` the column itself, so PostgreSQL
   * types the bound values as the column's, as it would in a plain update). Answers the mails whose row it
   * marked. A row another instance recovered meanwhile (claim cleared, recorded `interrupted`) is not
   * matched; when the count says some were not, the rows that now hold `claim` as `sent` are read back, in
   * this transaction, which keeps the ones it marked locked until it commits.
   */
  const markSent = async (page: SentMail[], claim: string): Promise<SentMail[]> => {
    const byId = (column: string, value: (o: SentMail) => unknown) =>
      knex().raw(`CASE id ${page.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ${column} END`, [
        ...page.flatMap((o) => [o.id, value(o)]),
      ]);
    const ids = page.map((o) => o.id);
    const marked = await onTable(strapi, TABLE.messageRecipient, (q) =>
      q
        .whereIn('id', ids)
        .where({ claim })
        .update({
          status: 'sent',
          subject: byId('subject', (o) => o.subject),
          sent_at: byId('sent_at', (o) => o.sentAt),
          updated_at: new Date(),
        })
    );
    if (Number(marked) === page.length) return page;
    const mine: { id: number | string }[] = await onTable(strapi, TABLE.messageRecipient, (q) =>
      q.select('id').whereIn('id', ids).where({ claim, status: 'sent' })
    );
    const kept = new Set(mine.map((r) => Number(r.id)));
    return page.filter((o) => kept.has(o.id));
  };

  /**
   * A slice's outcomes: sent rows with their person and time, failed ones, and the `contacted` events, at
   * once, in this order. One UPDATE per status (per 500 rows), not one per mail.
   */
  const settle = (job: JobRow, basis: string, claim: string, outcomes: (SentMail & { ok: boolean })[]) =>
    strapi.db.transaction(async () => {
      const sent: SentMail[] = [];
      const delivered = outcomes.filter((o) => o.ok);
      const failed = outcomes.filter((o) => !o.ok).map((o) => o.id);
      // Still ours: a row another instance recovered meanwhile (recorded `interrupted`) gets no event.
      for (let i = 0; i < delivered.length; i += INSERT_PAGE)
        sent.push(...(await markSent(delivered.slice(i, i + INSERT_PAGE), claim)));
      for (let i = 0; i < failed.length; i += INSERT_PAGE) {
        await onTable(strapi, TABLE.messageRecipient, (q) =>
          q
            .whereIn('id', failed.slice(i, i + INSERT_PAGE))
            .where({ claim })
            .update({ status: 'failed', reasons: JSON.stringify([FAILURE_REASONS.provider]), updated_at: new Date() })
        );
      }
      await appendContacts(job, basis, sent);
    });

  /** A mail to one eligible person, with their own links: `true` once the provider accepted it. */
  const deliver = async (job: JobRow, row: RecipientRow, pseudonym: string): Promise<boolean> => {
    const links = getService('links').forSubject(pseudonym, job.purpose, 'email');
    const mail = renderMessage(
      { subject: job.subject, html: job.html, text: job.text },
      { ...(row.placeholders ?? {}), unsubscribeUrl: links.unsubscribeUrl, preferencesUrl: links.preferencesUrl }
    );
    return sendMail(
      strapi,
      {
        to: row.email!, // eligible rows have an address (see send)
        ...mail,
        // E1: one HTTPS URI (then the mailto when configured), and the one-click key (RFC 8058).
        headers: { 'List-Unsubscribe': links.listUnsubscribe, 'List-Unsubscribe-Post': links.listUnsubscribePost },
      },
      `message ${job.id}: a mail (${pseudonym})`
    );
  };

  const setRows = (ids: number[], data: Record<string, unknown>, where: Record<string, unknown> = {}) =>
    ids.length
      ? knex()(TABLE.messageRecipient)
          .whereIn('id', ids)
          .where(where)
          .update({ ...data, updated_at: new Date() })
      : Promise.resolve(0);

  /**
   * Takes and sends one batch of `job`. Answers false when the job has nothing left to take (it is then
   * marked done once no other instance holds a row of it).
   */
  const processBatch = async (job: JobRow, basis: string): Promise<boolean> => {
    const size = config().batchSize;
    const candidates: number[] = (
      await knex()(TABLE.messageRecipient)
        .select('id')
        .where({ message: job.id, status: 'queued' })
        .orderBy('position', 'asc')
        .limit(size)
    ).map((r: { id: number | string }) => Number(r.id));
    if (candidates.length === 0) {
      const open = await knex()(TABLE.messageRecipient)
        .where({ message: job.id })
        .whereIn('status', ['queued', 'claimed', 'sending'])
        .first('id');
      if (!open)
        await strapi.db
          .query(UID.message)
          .update({ where: { id: job.id, status: { $ne: 'done' } }, data: { status: 'done', finishedAt: new Date() } });
      return false;
    }
    // The claim: a conditional update, so a row another instance took between the read and here is not ours.
    const claim = randomUUID();
    const claimedAt = new Date();
    await setRows(candidates, { status: 'claimed', claim, claimed_at: claimedAt }, { status: 'queued' });
    const rows = (
      await knex()(TABLE.messageRecipient)
        .select('*')
        .where({ message: job.id, claim, status: 'claimed' })
        .orderBy('position', 'asc')
    ).map(toRecipient);
    if (rows.length === 0) return true;
    if (job.status === 'queued') {
      await strapi.db
        .query(UID.message)
        .updateMany({ where: { id: job.id, status: 'queued' }, data: { status: 'sending', startedAt: claimedAt } });
      job.status = 'sending';
    }

    // Eligibility at the moment of sending (D1): a withdrawal since the job was queued is honoured.
    const addressed = rows.filter((r) => !!r.email);
    await setRows(
      rows.filter((r) => !r.email).map((r) => r.id),
      { status: 'failed', reasons: JSON.stringify([FAILURE_REASONS.noAddress]) }
    );
    const verdicts = await getService('eligibility').checkMany(
      job.purpose,
      'email',
      addressed.map((r) => ({ email: r.email! }))
    );
    const eligible: RecipientRow[] = [];
    const skippedBy = new Map<string, number[]>();
    addressed.forEach((r, i) => {
      if (verdicts[i].eligible) eligible.push(r);
      else {
        const key = JSON.stringify(verdicts[i].reasons);
        skippedBy.set(key, [...(skippedBy.get(key) ?? []), r.id]);
      }
    });
    for (const [reasons, ids] of skippedBy) await setRows(ids, { status: 'skipped', reasons }, { claim });

    // Their pseudonyms name them in their links and their events; someone eligible without a record yet
    // (legitimate interest needs none) gets one, so their link works.
    const subjects = eligible.length
      ? await strapi.db.transaction(async () => {
          await getService('ledger').lock();
          return getService('subjects').resolveMany(
            eligible.map((r) => ({ identifiers: { email: r.email! }, profile: {} }))
          );
        })
      : [];

    // A slice at a time: marked `sending` in one statement before any of it leaves, then the outcomes and
    // their `contacted` events in one transaction. Two commits per slice instead of two per mail; if the
    // instance stops in between, at most one slice is recorded `interrupted` (never sent twice).
    for (let from = 0; from < eligible.length; from += SEND_SLICE) {
      const slice = eligible
        .slice(from, from + SEND_SLICE)
        .map((row, k) => ({ row, subject: subjects[from + k].subject.pseudonym }));
      await setRows(
        slice.map((s) => s.row.id),
        { status: 'sending', claimed_at: new Date() },
        { claim }
      );
      const outcomes: (SentMail & { ok: boolean })[] = [];
      let next = 0;
      const worker = async () => {
        while (next < slice.length) {
          const { row, subject } = slice[next++];
          const ok = await deliver(job, row, subject);
          outcomes.push({ id: row.id, subject, sentAt: new Date(), evidence: row.evidence, ok });
        }
      };
      await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, slice.length) }, worker));
      await settle(job, basis, claim, outcomes);
    }
    return true;
  };

  /** Works until no job has a row left to take, or the worker is stopped. */
  const drain = async () => {
    await Promise.allSettled([...filling]);
    // Recovery reads every stale claim: at start, then once per claim timeout (no claim goes stale sooner),
    // not on every wake (a wake per enqueued message would otherwise scan the table each time).
    if (Date.now() - recoveredAt >= config().claimTimeoutSeconds * 1000) {
      recoveredAt = Date.now();
      await recover();
    }
    const finished = new Set<number>();
    const bases = new Map<number, string>();
    for (;;) {
      if (stopped) return;
      const job = (await strapi.db.query(UID.message).findOne({
        where: { status: { $in: ['queued', 'sending'] }, id: { $notIn: [...finished, 0] } },
        orderBy: { id: 'asc' },
      })) as JobRow | null;
      if (!job) return;
      if (!bases.has(job.id)) bases.set(job.id, await legalBasisOf(job));
      const more = await processBatch(job, bases.get(job.id)!);
      if (!more) finished.add(job.id);
    }
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void service.wake(), delayMs);
    // Never keeps the process alive by itself.
    timer.unref();
  };

  const service = {
    /**
     * Checks and stores a message and its recipients, and wakes the worker: the id to follow it by.
     * 400 naming the field: unknown purpose, a purpose not on email, an unknown audience, an address that
     * is not one, a template without `{{unsubscribeUrl}}` (D4). Nothing is stored then.
     */
    async enqueue(input: MessageInput, actor: string): Promise<number> {
      const kind = input.kind ?? 'marketing';
      for (const part of missingOptOut(input.template, kind))
        invalid(`template.${part}`, 'must contain the placeholder {{unsubscribeUrl}} (the opt-out link, D4)');
      const purposes = await getService('purposes').byKeys([
        ...new Set([input.purpose, ...(input.audience ? [input.audience] : [])]),
      ]);
      const purpose = purposes.get(input.purpose);
      if (!purpose) invalid('purpose', `no purpose with key "${input.purpose}"`);
      if (!purpose!.channels.includes('email'))
        invalid('channel', `purpose "${input.purpose}" is not on email: it is on ${purpose!.channels.join(', ')}`);
      if (input.audience) {
        const audience = purposes.get(input.audience);
        if (!audience) invalid('audience', `no audience "${input.audience}": an audience is named by its purpose key`);
        if (!audience!.channels.includes('email'))
          invalid('audience', `the audience of "${input.audience}" is not on email`);
      }
      const subjects = getService('subjects');
      const seen = new Set<string>();
      const list: MessageRecipientInput[] = [];
      (input.recipients ?? []).forEach((r, i) => {
        const email = subjects.normalise({ email: r.email }, `recipients.${i}`).email;
        if (!email) invalid(`recipients.${i}.email`, 'is required');
        // The same person listed twice gets one mail.
        if (seen.has(email!)) return;
        seen.add(email!);
        list.push({
          email: email!,
          ...(r.placeholders ? { placeholders: r.placeholders } : {}),
          ...(r.evidence ? { evidence: r.evidence } : {}),
        });
      });

      const base = {
        purpose: input.purpose,
        channel: 'email',
        kind,
        subject: input.template.subject,
        html: input.template.html,
        text: input.template.text,
        actor,
      };
      let id: number;
      if (!input.audience) {
        id = await strapi.db.transaction(async () => {
          const job = await strapi.db
            .query(UID.message)
            .create({ data: { ...base, status: 'queued', audience: null, total: list.length } });
          await writeAll(strapi, [{ table: TABLE.messageRecipient, insert: recipientRows(job.id, 1, list) }]);
          return job.id as number;
        });
      } else {
        // An audience can be 100,000 people: read and stored a page at a time (memory stays flat), under a
        // job no worker takes (`preparing`) until it is complete. The audience's own checks (a 400) come
        // before the answer; its pages are read after it, so the caller does not wait for them.
        const { pages } = await getService('audiences').pages(input.audience, 'email');
        const job = await strapi.db
          .query(UID.message)
          .create({ data: { ...base, status: 'preparing', audience: input.audience, total: 0 } });
        id = job.id;
        const fill = (async () => {
          try {
            let position = 1;
            for await (const members of pages) {
              // Shutting down: the job fails whole (nothing of it was sent) rather than being left half read.
              if (closing) throw new Error('the instance is stopping');
              const page = await newAddresses(
                id,
                members.filter((m) => m.email).map((m) => m.email!)
              );
              await writeAll(strapi, [
                {
                  table: TABLE.messageRecipient,
                  insert: recipientRows(
                    id,
                    position,
                    page.map((email) => ({ email }))
                  ),
                },
              ]);
              position += page.length;
              // The heartbeat recovery judges an abandoned read by (a long audience outlives the claim timeout).
              await knex()(TABLE.message).where({ id, status: 'preparing' }).update({ updated_at: new Date() });
            }
            const queued = await knex()(TABLE.message)
              .where({ id, status: 'preparing' })
              .update({ status: 'queued', total: position - 1, updated_at: new Date() });
            // Dropped meanwhile by another instance's recovery: the rows written since go with it.
            if (!queued) await knex()(TABLE.messageRecipient).where({ message: id }).delete();
          } catch (error) {
            strapi.log.error(
              `[consent] message ${id}: its audience could not be read, nothing was sent: ${redactIdentifiers((error as Error).message)}`
            );
            await knex()(TABLE.message).where({ id, status: 'preparing' }).update(failedJob());
            await knex()(TABLE.messageRecipient).where({ message: id }).delete();
          }
        })();
        filling.add(fill);
        void fill.finally(() => {
          filling.delete(fill);
          void service.wake();
        });
        return id;
      }
      void service.wake();
      return id;
    },

    /** The job and one page of its recipients (in the order given), or null for an unknown id. */
    async find(
      id: number,
      { page = 1, pageSize = 100, status }: { page?: number; pageSize?: number; status?: RecipientFilter } = {}
    ) {
      const job = (await strapi.db.query(UID.message).findOne({ where: { id } })) as JobRow | null;
      if (!job) return null;
      const counts = (await countsOf([id])).get(id)!;
      const query = knex()(TABLE.messageRecipient).select('*').where({ message: id });
      // In flight is `sending` to the caller, whichever step it is at.
      if (status) query.whereIn('status', status === 'sending' ? ['claimed', 'sending'] : [status]);
      const rows = (
        await query
          .orderBy('position', 'asc')
          .offset((page - 1) * pageSize)
          .limit(pageSize)
      ).map((r: Record<string, any>) => ({
        ...toRecipient(r),
        sentAt: dateOf(r.sent_at),
      }));
      const filtered = status ? counts[status] : counts.total;
      return {
        ...summary(job, counts),
        recipients: rows.map((r: RecipientRow & { sentAt: string | null }) => ({
          position: r.position,
          email: r.email,
          // In flight is `sending` to the caller, whichever step it is at.
          status: r.status === 'claimed' ? 'sending' : r.status,
          ...(r.reasons ? { reasons: r.reasons } : {}),
          ...(r.sentAt ? { sentAt: r.sentAt } : {}),
        })),
        pagination: { page, pageSize, total: filtered, pageCount: Math.ceil(filtered / pageSize) },
      };
    },

    /**
     * Among these addresses, those with a mail of `purpose` still to go (queued or in flight) whose
     * recipient evidence is of `kind`: an internal caller that runs again before the worker got to them
     * does not queue them twice.
     */
    async unsent(purpose: string, emails: string[], kind: string): Promise<Set<string>> {
      const out = new Set<string>();
      for (let i = 0; i < emails.length; i += INSERT_PAGE) {
        const rows: { email: string; evidence: unknown }[] = await knex()(`${TABLE.messageRecipient} as r`)
          .join(`${TABLE.message} as m`, 'm.id', 'r.message')
          .select('r.email', 'r.evidence')
          .where('m.purpose', purpose)
          .whereIn('r.status', ['queued', 'claimed', 'sending'])
          .whereIn('r.email', emails.slice(i, i + INSERT_PAGE));
        for (const r of rows) if (json(r.evidence)?.kind === kind) out.add(r.email);
      }
      return out;
    },

    /** The latest jobs and their progress, for the admin. */
    async list({ limit = 50 }: { limit?: number } = {}) {
      const jobs = (await strapi.db
        .query(UID.message)
        .findMany({ where: { status: { $ne: 'preparing' } }, orderBy: { id: 'desc' }, limit })) as JobRow[];
      const counts = await countsOf(jobs.map((j) => j.id));
      return jobs.map((j) => summary(j, counts.get(j.id)!));
    },

    /** Starts this instance's worker (bootstrap): unfinished jobs resume at once. */
    start() {
      closing = false;
      recoveredAt = 0;
      if (!config().worker) return;
      stopped = false;
      void service.wake();
    },

    /**
     * Runs the worker now (or once more after its current run) and answers when it is idle again. Tests
     * and callers that want to wait for their message use it; the worker calls it itself.
     */
    wake(): Promise<void> {
      if (stopped) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await drain();
          } while (again && !stopped);
        } catch (error) {
          strapi.log.error(`[consent] message worker: ${redactIdentifiers((error as Error).message)}`);
        } finally {
          running = null;
          // Idle: look again once a claim could have gone stale (another instance that stopped).
          schedule(config().claimTimeoutSeconds * 1000);
        }
      })();
      return running;
    },

    /** Stops the worker (destroy): the batch in hand is finished, nothing new is taken. */
    async stop() {
      stopped = true;
      closing = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.allSettled([...filling]);
      await running;
    },

    /**
     * Retention of sends: a job finished more than `retention.messageAddressDays` ago loses its
     * recipients' addresses and per-recipient placeholders (a re-permission mail's renew link among them);
     * each row keeps its outcome, reason codes and pseudonym, so the counts and the `contacted` proof stay.
     * A job is cleared once (`addressesClearedAt`), so a night reads only the jobs that finished since.
     */
    async clearAddresses(now = new Date()): Promise<{ messages: number; recipients: number }> {
      const days = (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).retention.messageAddressDays;
      if (days == null) return { messages: 0, recipients: 0 };
      const cutoff = new Date(now.getTime() - days * 86_400_000);
      const due: { id: number | string }[] = await knex()(TABLE.message)
        .select('id')
        .where({ status: 'done' })
        .where('finished_at', '<', cutoff)
        .whereNull('addresses_cleared_at');
      let recipients = 0;
      for (const { id } of due) {
        await strapi.db.transaction(async () => {
          recipients += Number(
            await onTable(strapi, TABLE.messageRecipient, (q) =>
              q
                .where({ message: id })
                .where((w: any) => w.whereNotNull('email').orWhereNotNull('placeholders'))
                .update({ email: null, placeholders: null, updated_at: now })
            )
          );
          await onTable(strapi, TABLE.message, (q) =>
            q.where({ id }).update({ addresses_cleared_at: now, updated_at: now })
          );
        });
      }
      return { messages: due.length, recipients };
    },

    /**
     * Erasure (Art. 17): the person's address leaves every send, and what was still to be sent to them is
     * skipped (`erased`). Runs in the eraser's transaction. Their `contacted` events stay (pseudonymous).
     */
    async eraseFor(pseudonym: string, email: string | null): Promise<void> {
      const now = new Date();
      const mine = (q: QueryBuilder) =>
        q.where((w: any) => {
          w.where({ subject: pseudonym });
          if (email) w.orWhere({ email });
        });
      await onTable(strapi, TABLE.messageRecipient, (q) =>
        mine(q.whereIn('status', ['queued'])).update({
          status: 'skipped',
          reasons: JSON.stringify(['erased']),
          updated_at: now,
        })
      );
      await onTable(strapi, TABLE.messageRecipient, (q) => mine(q).update({ email: null, updated_at: now }));
    },
  };
  return service;
};

export default messages;
export type MessagesService = ReturnType<typeof messages>;
