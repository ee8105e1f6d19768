import { TextDecoder } from 'node:util';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Channel, IdentifierType, SuppressionChannel, SuppressionReason } from '../../../shared/contracts/domain';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, TABLE, UID } from '../constants';
import { defaultPhoneCountry, normaliseEmail, normalisePhone } from '../domain/identifiers';
import {
  HashPrefixSet,
  LineSplitter,
  ListFormatError,
  OppositionListParser,
  type IdentifierKind,
  type ListEntry,
} from '../domain/opposition-list';
import { getService } from '../utils/get-service';

export interface SuppressionEntry {
  identifierHash: string;
  identifierType: IdentifierType;
  channel: SuppressionChannel;
  reason: SuppressionReason;
  source: string;
  note?: string | null;
}

export interface OppositionListImport {
  channel: SuppressionChannel;
  /** Where the list comes from (`bloctel`): part of the entry's key, so each list is its own entry. */
  source: string;
  /** The header name of the identifier column, when the list is a CSV file with several. */
  column?: string;
  /** The body's charset (Content-Type parameter); UTF-8 when absent. */
  charset?: string;
  /**
   * `add` (the default) adds the file's entries; `replace` also deletes the entries of this source and
   * channel that are not in the file (numbers that left the list), once the whole file was read and
   * written. A failed or interrupted import deletes nothing.
   */
  mode?: 'add' | 'replace';
}

export interface OppositionListResult {
  /** Data lines (not the header, blank or `#` comment lines). */
  read: number;
  added: number;
  /** Entries that were there before this import. */
  alreadyPresent: number;
  /** Lines repeating an identifier met earlier in the same list: one entry, counted once. */
  duplicates: number;
  invalid: number;
  /** `mode=replace` only: entries of this source and channel deleted because the file no longer has them. */
  removed?: number;
  durationMs: number;
}

const CHUNK = 500;
// Rows per INSERT: 8 bind parameters each stays far below the limits of SQLite (32766) and MySQL (65535)
// (PostgreSQL's statement has 8 parameters whatever its length).
const INSERT_ROWS = 1000;
// Entries an import holds before writing them, in one transaction. Commits are what costs: on SQLite
// each one rewrites every index page it touched (and the index on the hash is random), so 200k lines
// take about a minute committed per thousand and a few seconds per twenty thousand. This is also the
// longest a write lock is held (well under a second), and a few MB of memory.
const IMPORT_GROUP = 20_000;
const COLUMNS = ['identifier_hash', 'identifier_type', 'channel', 'reason', 'source', 'note'] as const;
const UNIQUE = ['identifier_hash', 'channel', 'reason', 'source'] as const;
type Knex = Core.Strapi['db']['connection'];
type Row = Record<(typeof COLUMNS)[number], string | null>;

/** The suppression entry erasure leaves (one per identifier hash, every channel). */
const ERASURE_ENTRY = { channel: 'all', reason: 'erasure', source: 'erasure' } as const;

const kindOfChannel = (channel: SuppressionChannel): IdentifierKind | undefined =>
  channel === 'email' ? 'email' : channel === 'phone' || channel === 'sms' ? 'phone' : undefined;

/**
 * Do-not-contact entries keyed by the HMAC of a normalised identifier (`subjects.hash`), per channel or
 * `all`. They are not personal data in clear and outlive erasure (I2): a person who objected and then had
 * their data erased must still never be contacted again. Inserts are idempotent (unique index on hash,
 * channel, reason and source).
 */
const suppression = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  /**
   * `mode=replace`, after the whole file was read and written: deletes this source's opposition-list
   * entries on this channel whose hash the file did not hold (numbers that left the list). Read in pages
   * by id, so memory stays flat; `seen` holds an 8-byte prefix of each hash of the file, so a (2^-64)
   * prefix collision keeps an entry, the safe side.
   */
  const removeAbsent = async (options: OppositionListImport, seen: HashPrefixSet): Promise<number> => {
    let removed = 0;
    let after = 0;
    for (;;) {
      const rows: { id: number | string; identifier_hash: string }[] = await knex()(TABLE.suppression)
        .select('id', 'identifier_hash')
        .where({ reason: 'opposition-list', source: options.source, channel: options.channel })
        .andWhere('id', '>', after)
        .orderBy('id', 'asc')
        .limit(INSERT_ROWS);
      if (rows.length === 0) break;
      after = Number(rows[rows.length - 1].id);
      const gone = rows.filter((r) => !seen.has(r.identifier_hash)).map((r) => r.id);
      if (gone.length) removed += Number(await knex()(TABLE.suppression).whereIn('id', gone).delete());
      if (rows.length < INSERT_ROWS) break;
    }
    return removed;
  };

  /**
   * Inserts rows, skipping those the unique index already holds, and answers how many were new, from the
   * statement's own result: PostgreSQL's row count and SQLite's `changes` for ON CONFLICT DO NOTHING,
   * MySQL's `affectedRows` for INSERT IGNORE (which counts inserted rows only). Raw SQL because knex
   * writes a multi-row SQLite insert as a compound SELECT, limited to 500 terms, and keeps MySQL's
   * affected rows to itself. PostgreSQL gets each column as one array (`unnest`): a statement of
   * thousands of rows then has eight parameters instead of eight per row, which halves the import time.
   */
  const insertIgnoring = async (rows: Row[], now: Date, db: Knex = knex()): Promise<number> => {
    if (rows.length === 0) return 0;
    const client = strapi.db.dialect.client as string;
    const columns = [...COLUMNS, 'created_at', 'updated_at'].map(() => '??').join(', ');
    const names = [TABLE.suppression, ...COLUMNS, 'created_at', 'updated_at'];
    const onConflict = `on conflict (${UNIQUE.map(() => '??').join(', ')}) do nothing`;
    if (client === 'postgres') {
      const result = await db.raw(
        `insert into ?? (${columns}) select ${COLUMNS.map(() => '??').join(', ')}, ?, ? ` +
          `from unnest(${COLUMNS.map(() => '?::text[]').join(', ')}) as v(${COLUMNS.map(() => '??').join(', ')}) ${onConflict}`,
        [...names, ...COLUMNS, now, now, ...COLUMNS.map((c) => rows.map((row) => row[c])), ...COLUMNS, ...UNIQUE]
      );
      return Number(result.rowCount);
    }
    const tuple = `(${COLUMNS.map(() => '?').join(', ')}, ?, ?)`;
    const values = rows.map(() => tuple).join(', ');
    const bindings = [...names, ...rows.flatMap((row) => [...COLUMNS.map((c) => row[c]), now, now])];
    if (client === 'mysql') {
      const [result] = await db.raw(`insert ignore into ?? (${columns}) values ${values}`, bindings);
      return Number(result.affectedRows);
    }
    const result = await db.raw(`insert into ?? (${columns}) values ${values} ${onConflict}`, [...bindings, ...UNIQUE]);
    return Number(result.changes);
  };

  const toRow = (e: SuppressionEntry): Row => ({
    identifier_hash: e.identifierHash,
    identifier_type: e.identifierType,
    channel: e.channel,
    reason: e.reason,
    source: e.source,
    note: e.note ?? null,
  });

  return {
    /**
     * Adds entries, ignoring those already present; answers how many were new. Joins the caller's
     * transaction when there is one (a withdrawal writes its events and its entries together, and a raw
     * query outside that transaction would wait for SQLite's single connection).
     */
    async add(entries: SuppressionEntry[]): Promise<number> {
      return strapi.db.transaction(async ({ trx }) => {
        let added = 0;
        const now = new Date();
        for (let i = 0; i < entries.length; i += CHUNK) {
          added += await insertIgnoring(entries.slice(i, i + CHUNK).map(toRow), now, trx as unknown as Knex);
        }
        return added;
      });
    },

    /**
     * After a secret rotation (the rehash job): entries under a previous secret's hash of an identifier move
     * to the current secret's hash (`moves`: old → new). An entry that the new hash already has (same
     * channel, reason and source) is deleted instead, the unique index allows one. `created_at` is kept: it
     * is when the objection was made, which the retention minimum counts from (I3). Answers how many moved
     * or merged. Runs in the caller's transaction when there is one.
     */
    async rekey(moves: Map<string, string>): Promise<number> {
      if (moves.size === 0) return 0;
      return strapi.db.transaction(async ({ trx }) => {
        const db = () => knex()(TABLE.suppression).transacting(trx as never);
        const old = [...moves.keys()];
        let changed = 0;
        for (let i = 0; i < old.length; i += CHUNK) {
          const rows: {
            id: number | string;
            identifier_hash: string;
            channel: string;
            reason: string;
            source: string;
          }[] = await db()
            .select('id', 'identifier_hash', 'channel', 'reason', 'source')
            .whereIn('identifier_hash', old.slice(i, i + CHUNK));
          if (rows.length === 0) continue;
          const targets = [...new Set(rows.map((r) => moves.get(r.identifier_hash)!))];
          const present: { identifier_hash: string; channel: string; reason: string; source: string }[] = await db()
            .select('identifier_hash', 'channel', 'reason', 'source')
            .whereIn('identifier_hash', targets);
          const key = (hash: string, r: { channel: string; reason: string; source: string }) =>
            `${hash}|${r.channel}|${r.reason}|${r.source}`;
          const taken = new Set(present.map((r) => key(r.identifier_hash, r)));
          const merged: (number | string)[] = [];
          const moved: typeof rows = [];
          for (const row of rows) {
            const target = moves.get(row.identifier_hash)!;
            if (taken.has(key(target, row))) merged.push(row.id);
            else {
              moved.push(row);
              taken.add(key(target, row));
            }
          }
          // A statement each for the merged and the moved entries of the chunk, not one per entry.
          if (merged.length) await db().whereIn('id', merged).delete();
          if (moved.length) {
            await db()
              .whereIn(
                'id',
                moved.map((r) => r.id)
              )
              .update({
                identifier_hash: knex().raw(`case ${moved.map(() => 'when ?? = ? then ?').join(' ')} else ?? end`, [
                  ...moved.flatMap((r) => ['id', r.id, moves.get(r.identifier_hash)!]),
                  'identifier_hash',
                ]),
              });
          }
          changed += merged.length + moved.length;
        }
        return changed;
      });
    },

    /**
     * The erasure entry for each hash (rights.erase, in its transaction): created once, its `updated_at`
     * moved to the latest erasure (a person erased, signing up again and erased again keeps one entry):
     * unlike `add`, which ignores an existing entry, the erasure date must move.
     */
    async markErased(trx: Knex, hashes: { type: IdentifierType; hash: string }[], at: Date) {
      for (const { type, hash } of hashes) {
        const key = { identifier_hash: hash, ...ERASURE_ENTRY };
        const existing = await knex()(TABLE.suppression)
          .transacting(trx as never)
          .where(key)
          .first('id');
        const table = () => knex()(TABLE.suppression).transacting(trx as never);
        if (existing) await table().where({ id: existing.id }).update({ updated_at: at });
        else await table().insert({ ...key, identifier_type: type, created_at: at, updated_at: at });
      }
    },

    /** The latest erasure of any of these hashes (`updated_at` of its erasure entry), or null. */
    async erasedAt(trx: Knex, hashes: string[]): Promise<string | Date | null> {
      const row = await knex()(TABLE.suppression)
        .transacting(trx as never)
        .where(ERASURE_ENTRY)
        .whereIn('identifier_hash', hashes)
        .first('updated_at');
      return row ? row.updated_at : null;
    },

    /** Every entry on these hashes, as stored (column names), oldest first: the person's export (H1). */
    async ofHashes(hashes: string[]): Promise<Record<string, unknown>[]> {
      return hashes.length ? knex()(TABLE.suppression).whereIn('identifier_hash', hashes).orderBy('id', 'asc') : [];
    },

    /**
     * A page of the entries created before `before`, except opposition-list entries (replaced by importing
     * the list again): what retention.pruneSuppressions (I3) weighs, by id after `after`.
     */
    async olderThan(before: Date, page: { after: number; limit: number }): Promise<{ id: number }[]> {
      return strapi.db.query(UID.suppression).findMany({
        select: ['id'],
        where: { id: { $gt: page.after }, reason: { $ne: 'opposition-list' }, createdAt: { $lt: before } },
        orderBy: { id: 'asc' },
        limit: page.limit,
      });
    },

    /** These entries as retention weighs them (in its transaction, under the ledger's lock). */
    async byIds(
      ids: number[]
    ): Promise<{ id: number; identifierHash: string; reason: SuppressionReason; createdAt: string | Date }[]> {
      return strapi.db.query(UID.suppression).findMany({
        select: ['id', 'identifierHash', 'reason', 'createdAt'],
        where: { id: { $in: ids } },
      });
    },

    /** Deletes these entries (retention, once their minimum period is over: I3). */
    async removeIds(ids: number[]): Promise<void> {
      if (ids.length) await strapi.db.query(UID.suppression).deleteMany({ where: { id: { $in: ids } } });
    },

    /**
     * The entries created in [since, until), per reason, source and channel, with the first and last
     * creation time of each group (the compliance report, R1).
     */
    async addedIn(period: { since: Date; until: Date }): Promise<any[]> {
      return knex()(TABLE.suppression)
        .select('reason', 'source', 'channel')
        .count({ n: '*' })
        .min({ first: 'created_at' })
        .max({ last: 'created_at' })
        .where('created_at', '>=', period.since)
        .andWhere('created_at', '<', period.until)
        .groupBy('reason', 'source', 'channel')
        .orderBy([{ column: 'reason' }, { column: 'source' }, { column: 'channel' }]);
    },

    async count(): Promise<number> {
      const [{ n }] = (await knex()(TABLE.suppression).count({ n: '*' })) as { n: number | string }[];
      return Number(n);
    },

    /**
     * The hash and reason of each entry on these hashes for `channel` or `all`: one query, through the query
     * engine so that it joins the caller's transaction (an import reads under the ledger lock).
     */
    async reasonsOn(
      hashes: string[],
      channel: string
    ): Promise<{ identifierHash: string; reason: SuppressionReason }[]> {
      return strapi.db.query(UID.suppression).findMany({
        select: ['identifierHash', 'reason'],
        where: { identifierHash: { $in: hashes }, channel: { $in: [channel, 'all'] } },
      });
    },

    /**
     * A column for a query of people (as `s`): whether any of the hash columns named has an entry for this
     * channel or all. Audiences read it in the page's own statement: three index probes per person in the
     * database, where asking for the page's hashes afterwards costs a bound parameter per hash.
     */
    existsOn(hashColumns: string[], channel: Channel) {
      return knex().raw(
        `exists (select 1 from ?? as x where x.identifier_hash in (${hashColumns.map(() => '??').join(', ')}) and x.channel in (?, ?))`,
        [TABLE.suppression, ...hashColumns, channel, 'all']
      );
    },

    /**
     * The entries that block contacting any of these identifier hashes on `channel` (entries for that
     * channel or for `all`).
     */
    async matching(
      hashes: string[],
      channel: Channel
    ): Promise<{ identifierHash: string; reason: SuppressionReason; source: string; createdAt: Date | null }[]> {
      if (hashes.length === 0) return [];
      const out: { identifierHash: string; reason: SuppressionReason; source: string; createdAt: Date | null }[] = [];
      for (let i = 0; i < hashes.length; i += CHUNK) {
        const rows = await knex()(TABLE.suppression)
          .select('identifier_hash', 'reason', 'source', 'created_at')
          .whereIn('identifier_hash', hashes.slice(i, i + CHUNK))
          .whereIn('channel', [channel, 'all']);
        for (const r of rows) {
          out.push({
            identifierHash: r.identifier_hash,
            reason: r.reason,
            source: r.source,
            createdAt: r.created_at ? new Date(r.created_at) : null,
          });
        }
      }
      return out;
    },

    /**
     * Imports an opposition list (spec 4.3; C6: Bloctel for consumer telephone) as `opposition-list`
     * entries, reading `body` as it arrives: one group of entries, one line and 8 bytes per identifier met
     * are held, whatever the list's length, and a slow database slows the upload down instead of filling
     * memory (the next chunk is only read once the group is written). Each group commits on its own, so an
     * interrupted import is completed by importing the list again. Phone numbers are read in the jurisdiction's country
     * (`06 12 34 56 78` is `+33612345678` in France). Idempotent: importing the same list again adds
     * nothing.
     */
    async importList(
      body: AsyncIterable<Buffer | string>,
      options: OppositionListImport
    ): Promise<OppositionListResult> {
      const started = Date.now();
      const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
      const country = defaultPhoneCountry(config.jurisdiction);
      const subjects = getService('subjects');
      const wanted = kindOfChannel(options.channel);

      // A charset the validation accepted; bytes that are not valid in it become U+FFFD (an invalid line).
      const decoder = new TextDecoder(options.charset ?? 'utf-8');
      const splitter = new LineSplitter();
      const parser = new OppositionListParser({ column: options.column, kind: wanted });
      const seen = new HashPrefixSet();
      const counts = { read: 0, added: 0, alreadyPresent: 0, duplicates: 0, invalid: 0 };
      let batch = new Map<string, IdentifierType>();
      let bytes = 0;

      const flush = async () => {
        if (batch.size === 0) return;
        const now = new Date();
        let repeats = 0;
        // Everything is in hand before the transaction opens: it never waits for the network.
        const added = await knex().transaction(async (trx) => {
          let n = 0;
          let rows: Row[] = [];
          for (const [hash, type] of batch) {
            if (seen.has(hash)) repeats++;
            rows.push(
              toRow({
                identifierHash: hash,
                identifierType: type,
                channel: options.channel,
                reason: 'opposition-list',
                source: options.source,
              })
            );
            if (rows.length === INSERT_ROWS) {
              n += await insertIgnoring(rows, now, trx);
              rows = [];
            }
          }
          return n + (await insertIgnoring(rows, now, trx));
        });
        for (const hash of batch.keys()) seen.add(hash);
        counts.added += added;
        counts.duplicates += repeats;
        // A repeat of an earlier group is not inserted again: the other rows refused were there before.
        counts.alreadyPresent += Math.max(0, batch.size - added - repeats);
        batch = new Map();
      };

      const take = (entry: ListEntry | null) => {
        if (!entry) return;
        counts.read++;
        if ('invalid' in entry) {
          counts.invalid++;
          return;
        }
        const type: IdentifierKind = wanted ?? parser.column?.kind ?? (entry.value.includes('@') ? 'email' : 'phone');
        const normalised = type === 'email' ? normaliseEmail(entry.value) : normalisePhone(entry.value, country);
        if (!normalised.ok) {
          counts.invalid++;
          return;
        }
        const hash = subjects.hash(type, normalised.value);
        if (batch.has(hash)) counts.duplicates++;
        else batch.set(hash, type);
      };

      try {
        for await (const chunk of body) {
          bytes += chunk.length;
          const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
          for (const line of splitter.push(text)) {
            take(parser.parse(line));
            if (batch.size >= IMPORT_GROUP) await flush();
          }
        }
        for (const line of splitter.push(decoder.decode())) take(parser.parse(line));
        for (const line of splitter.end()) take(parser.parse(line));
        await flush();
      } catch (error) {
        if (error instanceof ListFormatError) {
          throw new errors.ValidationError(error.message, { errors: [{ path: [error.path], message: error.message }] });
        }
        throw error;
      }

      if (bytes === 0) {
        const message = 'The body is empty: send the list as text/plain or text/csv, one identifier per line';
        throw new errors.ValidationError(message, { errors: [{ path: ['body'], message }] });
      }
      if (options.mode !== 'replace') return { ...counts, durationMs: Date.now() - started };
      if (seen.size === 0) {
        // A file without one valid identifier would empty the list: surely the wrong file.
        const message =
          'mode=replace: the file holds no valid identifier, so it cannot replace the list (nothing was removed)';
        throw new errors.ValidationError(message, { errors: [{ path: ['body'], message }] });
      }
      return { ...counts, removed: await removeAbsent(options, seen), durationMs: Date.now() - started };
    },
  };
};

export default suppression;
export type SuppressionService = ReturnType<typeof suppression>;
