import { createHmac } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { WebhookDeliveries } from '../../../shared/contracts/webhooks';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, TABLE, UID } from '../constants';
import { ConflictError } from '../errors';
import { fromEventColumns } from '../database/ledger-rows';
import { documentIds } from '../database/document-id';
import { orderedId } from '../database/ordered-id';
import type { TableWrite } from '../database/write-all';
import { afterFailure } from '../domain/delivery-backoff';
import { SIGNATURE_HEADER, signatureHeader } from '../domain/webhook-signature';
import { getService } from '../utils/get-service';
import { redactIdentifiers } from '../utils/redact';
import type { StoredEvent } from './ledger';
import { consentPayload, isConsentEvent, readIdentifiers, type PayloadEvent } from './webhooks';

export const DELIVERY_HEADER = 'X-Consent-Delivery';
export const ATTEMPT_HEADER = 'X-Consent-Attempt';

type Knex = Core.Strapi['db']['connection'];
type Row = Record<string, any>;

/** An enabled webhook subscribed to some `consent.*` events, as the ledger's transaction reads it. */
interface Subscription {
  id: string;
  events: Set<string>;
}

/** What the ledger's batch asks of the outbox inside its transaction. */
export interface OpenOutbox {
  /** The delivery rows for these events (none when no webhook is subscribed to them). */
  writes(events: StoredEvent[], now: Date): TableWrite[];
}

// Deliveries a worker takes at once; each is one POST, sent side by side, all within one claim.
const BATCH = 25;
// Kept in the admin's answer: a receiver's error page can be long.
const MAX_ERROR = 500;
const LIST_LIMIT = 50;

const enabled = (value: unknown) => value === true || value === 1 || value === '1';
const eventsOf = (value: unknown): string[] => {
  const list = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string') : [];
};
const dateOrNull = (value: unknown) => (value == null ? null : new Date(value as string | number | Date).toISOString());

/**
 * The webhook outbox (D6, D7), sole writer of `consent_webhook_deliveries`. The ledger adds one row per
 * committed event and subscribed webhook in its own transaction (`open`); after commit a worker on every
 * instance claims due rows with a conditional update (two instances never post the same row at once),
 * posts each signed, and on failure schedules the next attempt with exponential backoff until
 * `webhooks.maxAttempts`, then leaves the row failed for an admin to retry. A row claimed by an instance
 * that dies is taken again once its claim lapses: delivery is at least once, and the `X-Consent-Delivery`
 * header, the same on every attempt, lets receivers drop repeats.
 */
const webhookOutbox = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  const deliveryDocumentId = documentIds(strapi, UID.webhookDelivery);
  const config = () => getService('settings').config().webhooks;

  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  const inFlight = new Set<AbortController>();

  /** The signing key: the configured one, else one derived from `secret` (stable on every instance). */
  const signingSecret = () =>
    config().signingSecret ??
    createHmac('sha256', getService('secrets').get()).update('consent webhook signing').digest('hex');

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void tick(), ms);
    timer.unref?.();
  };

  const tick = () => {
    if (running) {
      again = true;
      return running;
    }
    again = false;
    running = drain()
      .catch((error) => {
        strapi.log.error(`[consent] webhook delivery worker: ${redactIdentifiers((error as Error).message)}`);
      })
      .finally(() => {
        running = null;
        schedule(again ? 0 : config().pollIntervalMs);
      });
    return running;
  };

  /** Takes up to `BATCH` due rows for this worker: only rows no live claim holds move to it. */
  const claim = async (): Promise<Row[]> => {
    const now = new Date();
    const free = (q: ReturnType<Knex>) =>
      q
        .where('status', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((w: ReturnType<Knex>) => w.whereNull('claimed_until').orWhere('claimed_until', '<', now));
    const due = await free(knex()(TABLE.webhookDelivery).select('id')).orderBy('next_attempt_at', 'asc').limit(BATCH);
    if (due.length === 0) return [];
    const token = orderedId();
    // The POST's timeout and a margin: the claim outlives any attempt this worker makes.
    const claimedUntil = new Date(now.getTime() + config().timeoutMs + 30_000);
    await free(
      knex()(TABLE.webhookDelivery).whereIn(
        'id',
        due.map((r: Row) => r.id)
      )
    ).update({
      claim_token: token,
      claimed_until: claimedUntil,
    });
    return knex()(TABLE.webhookDelivery).select('*').where('claim_token', token);
  };

  /** Ends this worker's claim on a row with what the attempt found (nothing if another worker took it since). */
  const settle = (row: Row, data: Record<string, unknown>) =>
    knex()(TABLE.webhookDelivery)
      .where({ id: row.id, claim_token: row.claim_token })
      .update({ ...data, claim_token: null, claimed_until: null, updated_at: new Date() });

  const fail = async (row: Row, attempts: number, error: string, status: number | null) => {
    const next = afterFailure(attempts, new Date(), config());
    const lastError = redactIdentifiers(error).slice(0, MAX_ERROR);
    await settle(row, {
      attempts,
      status: next.status,
      next_attempt_at: next.status === 'pending' ? next.at : null,
      last_status: status,
      last_error: lastError,
    });
    if (next.status === 'failed') {
      strapi.log.warn(
        `[consent] webhook delivery ${row.delivery_id} (${row.event} to webhook ${row.webhook_id}) failed after ${attempts} attempt(s), ` +
          `left for an admin to retry: ${lastError.slice(0, 200)}`
      );
    }
  };

  /** Gives up at once: retrying cannot help (the webhook is gone, off, or no longer wants the event). */
  const refuse = (row: Row, error: string) =>
    settle(row, { status: 'failed', next_attempt_at: null, last_status: null, last_error: error });

  /** One attempt: the receiver's 2xx status, or undefined once the failure is recorded. */
  const post = async (
    row: Row,
    hook: { url: string; headers: Record<string, string> },
    body: string
  ): Promise<number | undefined> => {
    const attempts = Number(row.attempts) + 1;
    const abort = new AbortController();
    inFlight.add(abort);
    // A batch read before `stop()` must not start posts that shutdown would then wait for.
    if (stopped) abort.abort();
    try {
      const res = await strapi.fetch(hook.url, {
        method: 'POST',
        body,
        headers: {
          ...strapi.config.get<Record<string, string>>('server.webhooks.defaultHeaders', {}),
          ...hook.headers,
          'X-Strapi-Event': row.event,
          'Content-Type': 'application/json',
          [DELIVERY_HEADER]: row.delivery_id,
          [ATTEMPT_HEADER]: String(attempts),
          [SIGNATURE_HEADER]: signatureHeader(signingSecret(), body, new Date()),
        },
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(config().timeoutMs)]),
      });
      // Recorded with the batch's other successes (`drain`).
      if (res.ok) return res.status;
      const text = await res.text().catch(() => '');
      await fail(row, attempts, `HTTP ${res.status}${text ? `: ${text}` : ''}`, res.status);
      return undefined;
    } catch (error) {
      // Stopped at shutdown: not the receiver's failure. The row goes back as it was, for the next boot
      // or another instance.
      if (abort.signal.aborted) {
        await settle(row, {}).catch(() => undefined);
        return undefined;
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      await fail(row, attempts, `${(error as Error).message}${cause ? ` (${cause})` : ''}`, null);
      return undefined;
    } finally {
      inFlight.delete(abort);
    }
  };

  /** Delivers what is due until nothing is, each claimed row once. */
  const drain = async () => {
    while (!stopped) {
      const rows = await claim();
      if (rows.length === 0) return;
      const events = new Map<string, Row>(
        (await getService('ledger').eventRowsById([...new Set(rows.map((r) => r.event_id as string))])).map(
          (r: Row) => [r.event_id, fromEventColumns(r)]
        )
      );
      const identifiers = await readIdentifiers(strapi, [
        ...new Set([...events.values()].map((e) => e.subject as string)),
      ]);
      // One read per webhook, not per delivery: a batch mostly goes to the same few receivers.
      const store = strapi.get('webhookStore');
      const hooks = new Map<string, Awaited<ReturnType<typeof store.findWebhook>>>();
      for (const id of new Set(rows.map((r) => String(r.webhook_id)))) hooks.set(id, await store.findWebhook(id));
      const delivered = new Map<number, Row[]>();
      await Promise.all(
        rows.map(async (row) => {
          const hook = hooks.get(String(row.webhook_id));
          const event = events.get(row.event_id) as PayloadEvent | undefined;
          if (!hook) return refuse(row, 'the webhook was deleted');
          if (!hook.isEnabled) return refuse(row, 'the webhook is disabled');
          if (!hook.events.includes(row.event))
            return refuse(row, `the webhook is no longer subscribed to ${row.event}`);
          if (!event) return refuse(row, 'the ledger event is missing');
          // Strapi's webhook body (`event`, `createdAt`, then the payload): the same on every attempt but
          // for identifiers erased in between.
          const body = JSON.stringify({
            event: row.event,
            createdAt: dateOrNull(row.created_at),
            consent: consentPayload(event, identifiers.get(event.subject)),
          });
          const status = await post(row, hook, body);
          if (status !== undefined) delivered.set(status, [...(delivered.get(status) ?? []), row]);
          return undefined;
        })
      );
      // The successes in one statement per status code (the rows share this batch's claim).
      for (const [status, done] of delivered) {
        await knex()(TABLE.webhookDelivery)
          .whereIn(
            'id',
            done.map((r) => r.id)
          )
          .where('claim_token', done[0].claim_token)
          .update({
            status: 'delivered',
            attempts: knex().raw('?? + 1', ['attempts']),
            delivered_at: new Date(),
            next_attempt_at: null,
            last_status: status,
            last_error: null,
            claim_token: null,
            claimed_until: null,
            updated_at: new Date(),
          });
      }
    }
  };

  return {
    /** The read of the subscriptions, for the ledger to send with its lock (`open`'s `hooks`). */
    subscriptionsQuery() {
      return knex()('strapi_webhooks').select('id', 'events', 'enabled');
    },

    /**
     * Reads the subscriptions in the ledger's transaction, so the rows follow the webhooks as they are
     * when the events commit. One small query per ledger transaction, whatever it writes; none when the
     * ledger read them with its lock (`hooks`: the rows of `subscriptionsQuery`).
     */
    async open(trx: unknown, hooks?: Row[]): Promise<OpenOutbox> {
      hooks ??= await this.subscriptionsQuery().transacting(trx as never);
      const subscriptions: Subscription[] = hooks!
        .filter((h: Row) => enabled(h.enabled))
        .map((h: Row) => ({ id: String(h.id), events: new Set(eventsOf(h.events).filter(isConsentEvent)) }))
        .filter((s: Subscription) => s.events.size > 0);
      return {
        writes(events, now) {
          if (subscriptions.length === 0) return [];
          const insert: Record<string, unknown>[] = [];
          for (const event of events) {
            const name = `consent.${event.action}`;
            for (const s of subscriptions) {
              if (!s.events.has(name)) continue;
              insert.push({
                document_id: deliveryDocumentId(),
                delivery_id: orderedId(),
                webhook_id: s.id,
                event: name,
                event_id: event.eventId,
                status: 'pending',
                attempts: 0,
                next_attempt_at: now,
                created_at: now,
                updated_at: now,
                published_at: now,
              });
            }
          }
          return insert.length ? [{ table: TABLE.webhookDelivery, insert }] : [];
        },
      };
    },

    /** Starts this instance's worker (bootstrap): what an earlier run left pending goes out first. */
    start() {
      if (!stopped) return;
      stopped = false;
      if (!getService('settings').config().webhooks.signingSecret && process.env.NODE_ENV === 'production') {
        strapi.log.warn(
          '[consent] webhooks.signingSecret is not set: deliveries are signed with a key derived from `secret`, ' +
            'which receivers cannot check. Set CONSENT_WEBHOOK_SECRET (32+ characters) and give it to them.'
        );
      }
      schedule(0);
    },

    /** Looks for due deliveries now (after a commit that wrote some) instead of at the next poll. */
    kick() {
      if (!stopped) void tick();
    },

    /** Stops the worker (destroy): posts under way are cut off and their rows left pending, unclaimed. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const abort of inFlight) abort.abort();
      await running;
    },

    /** The key a receiver checks signatures with, for tests and the operator's own tools. */
    signingSecret,

    /** Deliveries for the admin, newest first: `failing` is failed ones and pending ones that failed before. */
    async list(query: WebhookDeliveries.ListQuery): Promise<WebhookDeliveries.ListResponse['data']> {
      const limit = query.limit ?? LIST_LIMIT;
      const q = knex()(TABLE.webhookDelivery).select('*').orderBy('id', 'desc').limit(limit);
      if (query.status === 'failing')
        q.where((w: ReturnType<Knex>) =>
          w
            .where('status', 'failed')
            .orWhere((p: ReturnType<Knex>) => p.where('status', 'pending').where('attempts', '>', 0))
        );
      else if (query.status) q.where('status', query.status);
      const rows: Row[] = await q;
      const counts: Row[] = await knex()(TABLE.webhookDelivery).select('status').count({ n: '*' }).groupBy('status');
      const hooks = new Map<string, string>(
        (await strapi.get('webhookStore').findWebhooks()).map((h: { id: string; name: string }) => [
          String(h.id),
          h.name,
        ])
      );
      return {
        deliveries: rows.map((r) => ({
          id: Number(r.id),
          deliveryId: r.delivery_id,
          webhookId: String(r.webhook_id),
          webhookName: hooks.get(String(r.webhook_id)) ?? null,
          event: r.event,
          eventId: r.event_id,
          status: r.status,
          attempts: Number(r.attempts),
          nextAttemptAt: r.status === 'pending' ? dateOrNull(r.next_attempt_at) : null,
          lastStatus: r.last_status == null ? null : Number(r.last_status),
          lastError: r.last_error ?? null,
          deliveredAt: dateOrNull(r.delivered_at),
          createdAt: dateOrNull(r.created_at) as string,
        })),
        counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
      };
    },

    /**
     * Retention of the outbox: delivered rows older than `retention.webhookDeliveredDays` (by their
     * delivery) and failed ones untouched for `retention.webhookFailedDays` (their last attempt, or an
     * admin's retry that failed again) are deleted. Pending rows are never: they are still to be delivered.
     */
    async purge(now = new Date()): Promise<{ delivered: number; failed: number }> {
      const retention = (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).retention;
      const before = (days: number) => new Date(now.getTime() - days * 86_400_000);
      const delivered = Number(
        await knex()(TABLE.webhookDelivery)
          .where({ status: 'delivered' })
          .where('delivered_at', '<', before(retention.webhookDeliveredDays))
          .delete()
      );
      const failed =
        retention.webhookFailedDays == null
          ? 0
          : Number(
              await knex()(TABLE.webhookDelivery)
                .where({ status: 'failed' })
                .where('updated_at', '<', before(retention.webhookFailedDays))
                .delete()
            );
      return { delivered, failed };
    },

    /** Puts a failed delivery back for a fresh round of attempts, due now. */
    async retry(id: number): Promise<void> {
      const changed = await knex()(TABLE.webhookDelivery).where({ id, status: 'failed' }).update({
        status: 'pending',
        attempts: 0,
        next_attempt_at: new Date(),
        claim_token: null,
        claimed_until: null,
        updated_at: new Date(),
      });
      if (Number(changed) === 0) {
        const row = await knex()(TABLE.webhookDelivery).select('status').where({ id }).first();
        if (!row) throw new errors.NotFoundError(`No webhook delivery ${id}`);
        throw new ConflictError(`Webhook delivery ${id} is ${row.status}; only a failed delivery can be retried`);
      }
      this.kick();
    },
  };
};

export default webhookOutbox;
export type WebhookOutboxService = ReturnType<typeof webhookOutbox>;
