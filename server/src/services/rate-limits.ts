import { createHmac } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, TABLE } from '../constants';
import { getService } from '../utils/get-service';

type Knex = Core.Strapi['db']['connection'];

/**
 * Fixed-window rate limits counted in the database (`consent_rate_limits`), so that every Strapi instance
 * behind a load balancer sees the same counts (spec 2: no state in process memory that another instance
 * needs). One atomic upsert per hit; bucket keys are keyed hashes, so the table holds no IP address or
 * identifier in clear.
 */
const rateLimits = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  const config = () => (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).rateLimit;

  /** Adds one hit to the bucket's current window and answers the window's count. */
  const hit = async (bucket: string, windowSeconds: number): Promise<number> => {
    const now = Date.now();
    const window = Math.floor(now / (windowSeconds * 1000));
    const row = {
      bucket: `${bucket}:${window}`,
      hits: 1,
      expires_at: new Date((window + 1) * windowSeconds * 1000),
    };
    // Outside any surrounding transaction: a refused request must still count, and a rolled-back
    // submission must not hold a lock on a counter row.
    const base = knex();
    const upsert = (hits: ReturnType<Knex['raw']>) =>
      base(TABLE.rateLimit).insert(row).onConflict('bucket').merge({ hits });
    const count = async (): Promise<number> => {
      if (strapi.db.dialect.client !== 'mysql') {
        // PostgreSQL and SQLite answer the count from the upsert itself (one atomic statement).
        const [stored] = await upsert(base.raw('??.?? + 1', [TABLE.rateLimit, 'hits'])).returning('hits');
        return Number((stored as { hits?: number | string } | undefined)?.hits ?? 1);
      }
      // MySQL has no RETURNING, and a read-back in a second statement can see a later hit's count (two
      // hits at once both read 2). LAST_INSERT_ID(expr) makes the server report the row's new count as
      // the statement's insert id, in the upsert's own reply: one statement, one connection, no
      // transaction (a transaction per hit broke capture's group commit, 23128b8). Run as raw for the
      // whole reply: knex's insert keeps only the insert id, and a fresh row (affectedRows 1, not 2)
      // reports its auto-increment id there instead; its count is 1.
      const { sql, bindings } = upsert(base.raw('LAST_INSERT_ID(??.?? + 1)', [TABLE.rateLimit, 'hits'])).toSQL();
      const [reply] = (await base.raw(sql, bindings)) as [{ affectedRows: number; insertId: number | string }];
      return reply.affectedRows === 1 ? 1 : Number(reply.insertId);
    };
    const hits = await count();
    // Roughly once per hundred hits, clear windows that ended; no cron needed and never a large delete.
    if (Math.random() < 0.01) await base(TABLE.rateLimit).where('expires_at', '<', new Date(now)).del();
    return hits;
  };

  const keyed = (value: string) =>
    createHmac('sha256', getService('secrets').get()).update(`rate-limit:${value}`).digest('hex').slice(0, 40);

  const bucketOf = (scope: string, key: string) => `${scope}:${key.slice(0, 40)}`;
  const clientBucket = (scope: string, ip: string | undefined) => bucketOf(`${scope}:ip`, keyed(ip ?? 'unknown'));

  /** One hit in `bucket`; RateLimitError (429) past `max` in the current window. */
  const limit = async (bucket: string, max: number, windowSeconds: number, message: string) => {
    const hits = await hit(bucket, windowSeconds);
    if (hits > max) throw new errors.RateLimitError(message, { retryAfterSeconds: windowSeconds });
  };

  return {
    /**
     * Counts one request of this client (IP) on a public route and throws RateLimitError (429) over the
     * configured `max` per window.
     */
    async client(scope: string, ip: string | undefined) {
      const cfg = config();
      if (!cfg) return;
      await limit(clientBucket(scope, ip), cfg.max, cfg.windowSeconds, 'Too many requests, please try again later');
    },

    /**
     * Counts one request of this client in the same bucket as `client`, without refusing it: for a failure
     * found only once the request was answered (domain/rate-limit-rules `failedAfter`).
     */
    async countClient(scope: string, ip: string | undefined) {
      const cfg = config();
      if (!cfg) return;
      await hit(clientBucket(scope, ip), cfg.windowSeconds);
    },

    /** The same per identifier hash (an email address or phone number), `perIdentifier` per window (B6). */
    async identifier(scope: string, identifierHash: string) {
      const cfg = config();
      if (!cfg) return;
      await limit(
        bucketOf(`${scope}:id`, identifierHash),
        cfg.perIdentifier,
        cfg.windowSeconds,
        'Too many requests for this address, please try again later'
      );
    },

    /**
     * A claim: true for exactly one caller per `key` and window, across instances, answered as a boolean
     * rather than a RateLimitError. The row is created empty and taken by a conditional update, whose
     * affected-row count only one caller sees as 1 (the update locks the row and rereads `hits`), so no
     * count is read back here.
     */
    async once(scope: string, key: string, windowSeconds: number): Promise<boolean> {
      const window = Math.floor(Date.now() / (windowSeconds * 1000));
      const bucket = `${bucketOf(scope, key)}:${window}`;
      const base = knex();
      await base(TABLE.rateLimit)
        .insert({ bucket, hits: 0, expires_at: new Date((window + 1) * windowSeconds * 1000) })
        .onConflict('bucket')
        .ignore();
      return Number(await base(TABLE.rateLimit).where({ bucket, hits: 0 }).update({ hits: 1 })) === 1;
    },

    /**
     * Erasure (rights.erase, in its transaction): deletes every counter keyed by these identifier hashes,
     * whatever their scope and window, so no bucket outlives the person it counted.
     */
    async forgetIdentifiers(trx: Knex, identifierHashes: string[]) {
      for (const hash of identifierHashes) {
        await knex()(TABLE.rateLimit)
          .transacting(trx as never)
          .where('bucket', 'like', `%:${hash.slice(0, 40)}:%`)
          .del();
      }
    },

    /** A limit of its own (e.g. one confirmation mail per address per `resendAfterSeconds`). */
    async window(scope: string, key: string, max: number, windowSeconds: number) {
      await limit(bucketOf(scope, key), max, windowSeconds, 'Please wait before asking again');
    },
  };
};

export default rateLimits;
export type RateLimitsService = ReturnType<typeof rateLimits>;
