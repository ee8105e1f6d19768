import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Audience, IdentifierType, Jurisdiction } from '../../../shared/contracts/domain';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, TABLE, UID } from '../constants';
import { documentIds } from '../database/document-id';
import { orderedId } from '../database/ordered-id';
import { onTable, type QueryBuilder } from '../database/in-transaction';
import { rowArrays } from '../database/row-arrays';
import { SUBJECT_COLUMNS as COLUMNS } from '../database/subject-rows';
import { writeAll, type TableWrite } from '../database/write-all';
import { staleHashes } from '../domain/key-ring';
import {
  defaultPhoneCountry,
  identifierHash,
  identifierKey,
  normaliseEmail,
  normaliseExternalId,
  normalisePhone,
} from '../domain/identifiers';
import { mergeChildStatus, type ChildStatus } from '../domain/children-rules';
import { getService } from '../utils/get-service';

export type Identifiers = Partial<Record<IdentifierType, string>>;

export interface SubjectRow {
  id: number;
  pseudonym: string;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  emailHash: string | null;
  phoneHash: string | null;
  externalIdHash: string | null;
  language: string | null;
  audience: Audience;
  jurisdiction: Jurisdiction | null;
  /** G1: below the age of digital consent when asked (null: never asked). */
  child: boolean | null;
  /** G1: when that ends, at the latest (the driver's own type: Date, ISO text or epoch ms). */
  childUntil: string | number | Date | null;
  erasedAt: string | Date | null;
}

/** A subject as `resolve` gives it: one created in this transaction has no row id yet. */
export type Subject = Omit<SubjectRow, 'id'>;
export interface ResolvedSubject {
  subject: Subject;
  /** Created in this transaction (it has no stored consent state yet). */
  created: boolean;
}
export interface SubjectRequest {
  identifiers: Identifiers;
  profile: SubjectProfile;
}
export interface SubjectProfile {
  language?: string;
  audience?: Audience;
  /** Whose law applies to the person, as the collection point states it (else the site's, C2). */
  jurisdiction?: Jurisdiction;
  /** The outcome of a children's form's age question (G1), merged with what the record already says. */
  childStatus?: ChildStatus;
}
export interface IdentifierKey {
  type: IdentifierType;
  value: string;
  /** Under the current secret: what is written. */
  hash: string;
  /** Under every secret of the ring, the current one first: what is looked up. */
  hashes: string[];
}

/** What one pass of the rehash job did (`rehash`). */
export interface RehashResult {
  /** Subject rows read (those holding at least one identifier). */
  scanned: number;
  /** Subject rows whose hashes were rewritten under the current secret. */
  rehashed: number;
  /** Suppression entries moved from a previous secret's hash to the current one. */
  suppressionsRekeyed: number;
}

// Hashes per lookup query.
const LOOKUP_CHUNK = 500;
// Subject rows per page of the rehash job: one read, a few writes, in one short transaction.
const REHASH_PAGE = 500;

const HASH_COLUMN = { email: 'emailHash', phone: 'phoneHash', externalId: 'externalIdHash' } as const;
const ORDER: IdentifierType[] = ['email', 'phone', 'externalId'];

/** The identifiers a subject row holds (none once erased). */
export const identifiersOf = (row: Pick<SubjectRow, IdentifierType>): Identifiers =>
  Object.fromEntries(ORDER.filter((k) => row[k]).map((k) => [k, row[k] as string]));

/** A subject's stored age outcome (G1), or null when the person was never asked. */
export const childStatusOf = (row: Pick<SubjectRow, 'child' | 'childUntil'>): ChildStatus | null => {
  if (row.child == null) return null;
  const until =
    row.childUntil == null
      ? null
      : new Date(
          typeof row.childUntil === 'string' && /^\d+$/.test(row.childUntil) ? Number(row.childUntil) : row.childUntil
        );
  // SQLite gives booleans back as 0/1.
  return { child: !!row.child && String(row.child) !== '0' && String(row.child) !== 'false', childUntil: until };
};

const toColumns = (data: Partial<Subject>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [COLUMNS[k as keyof SubjectRow], v]));

/** A subject's identifiers and their keyed hashes, cleared. */
const NO_IDENTIFIERS = {
  email: null,
  emailHash: null,
  phone: null,
  phoneHash: null,
  externalId: null,
  externalIdHash: null,
};

/**
 * People known to the ledger. The ledger refers to them by pseudonym only; identifiers live here,
 * normalised, next to their keyed hashes (lookups go by hash), so erasure clears them in one place
 * without touching the chain.
 */

const subjects = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(UID.subject);
  const documentId = documentIds(strapi, UID.subject);

  let ring: Buffer[] | undefined;
  const hmacKeys = () => (ring ??= getService('secrets').all().map(identifierKey));
  /**
   * Hashes under the current secret, computed from the identifiers a row holds in clear, for the rows a
   * rotation left with a previous secret's hashes: `prepareMany` writes them with its next update of the
   * person (rehash on write), the rehash job writes them for everyone else.
   */
  const stale = new WeakMap<SubjectRow, Partial<Subject>>();

  /** The hashes the current secret gives the identifiers a row holds in clear. */
  const currentHashes = (row: Pick<SubjectRow, IdentifierType>) =>
    Object.fromEntries(
      ORDER.filter((type) => row[type]).map((type) => [
        HASH_COLUMN[type],
        identifierHash(hmacKeys()[0], type, row[type]!),
      ])
    ) as Partial<Record<(typeof HASH_COLUMN)[IdentifierType], string>>;

  /** The row as the current secret would have hashed it (in memory); the difference is remembered in `stale`. */
  const current = (row: SubjectRow): SubjectRow => {
    if (hmacKeys().length === 1) return row;
    const patch = staleHashes(row, currentHashes(row));
    if (Object.keys(patch).length === 0) return row;
    const out = { ...row, ...patch };
    stale.set(out, patch);
    return out;
  };

  /** A row as read, with its current-secret hashes. */
  const holderRow = (r: SubjectRow) => current({ ...r, id: Number(r.id) });

  /**
   * Every subject holding one of these identifier hashes under any secret of the ring: one query (per 500
   * hashes of a type), each row seen with its current-secret hashes.
   */
  const holders = async (keys: IdentifierKey[]): Promise<SubjectRow[]> => {
    const rows: SubjectRow[] = [];
    for (const type of ORDER) {
      const hashes = [...new Set(keys.filter((k) => k.type === type).flatMap((k) => k.hashes))];
      for (let i = 0; i < hashes.length; i += LOOKUP_CHUNK) {
        const found = await onTable(strapi, TABLE.subject, (q) =>
          q.select(COLUMNS).whereIn(COLUMNS[HASH_COLUMN[type]], hashes.slice(i, i + LOOKUP_CHUNK))
        );
        rows.push(...(found as unknown as SubjectRow[]).map(holderRow));
      }
    }
    return rows;
  };
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  return {
    /**
     * Normalises each identifier given (email lowercased and trimmed, phone in E.164, external id trimmed)
     * and throws one ValidationError naming every field that is not acceptable, under `path` (e.g. `subject`).
     */
    normalise(input: Identifiers, path = 'subject'): Identifiers {
      const country = defaultPhoneCountry(config().jurisdiction);
      const normalisers = {
        email: normaliseEmail,
        phone: (v: string) => normalisePhone(v, country),
        externalId: normaliseExternalId,
      };
      const out: Identifiers = {};
      const problems: { path: string[]; message: string }[] = [];
      for (const type of ORDER) {
        const value = input[type];
        if (value === undefined || value === null || value === '') continue;
        const result = normalisers[type](value);
        if (result.ok) out[type] = result.value;
        else problems.push({ path: [path, type], message: `${path}.${type} ${result.reason}` });
      }
      if (problems.length) throw new errors.ValidationError(problems[0].message, { errors: problems });
      return out;
    },

    /** Keyed hash of an already normalised identifier under the current secret (also the key of suppression entries). */
    hash(type: IdentifierType, normalised: string): string {
      return identifierHash(hmacKeys()[0], type, normalised);
    },

    /**
     * The keyed hashes of a normalised identifier under every secret of the ring, the current one first:
     * what a lookup of something recorded before a rotation (a person, a suppression entry) tries.
     */
    hashes(type: IdentifierType, normalised: string): string[] {
      return hmacKeys().map((key) => identifierHash(key, type, normalised));
    },

    /**
     * Every hash a person's row can be known by: the stored ones and, after a rotation, those of the
     * identifiers it holds in clear under every secret (suppression entries made before or after it).
     */
    allHashes(row: Partial<Pick<SubjectRow, IdentifierType | (typeof HASH_COLUMN)[IdentifierType]>>): string[] {
      const stored = ORDER.map((type) => row[HASH_COLUMN[type]]).filter((h): h is string => !!h);
      if (hmacKeys().length === 1) return stored;
      const derived = ORDER.flatMap((type) => (row[type] ? this.hashes(type, row[type]!) : []));
      return [...new Set([...stored, ...derived])];
    },

    /** The subject any of these (normalised) identifiers belongs to, trying email, then phone, then id. */
    async find(identifiers: Identifiers): Promise<SubjectRow | null> {
      const keys = this.keys(identifiers);
      const rows = await holders(keys);
      for (const { type, hash } of keys) {
        const row = rows.find((r) => r[HASH_COLUMN[type]] === hash);
        if (row) return row;
      }
      return null;
    },

    /**
     * `find` for many identifier sets at once, in order: one query per identifier type (per 500 hashes)
     * for all of them, each answered as `find` would (email first, then phone, then external id).
     */
    async findMany(list: Identifiers[]): Promise<(SubjectRow | null)[]> {
      const keys = list.map((identifiers) => this.keys(identifiers));
      const rows = await holders(keys.flat());
      const bySlot = new Map<string, SubjectRow>();
      // The first row holding a hash wins, as `find` takes the first.
      for (const row of rows) {
        for (const type of ORDER) {
          const hash = row[HASH_COLUMN[type]];
          if (hash && !bySlot.has(`${type}:${hash}`)) bySlot.set(`${type}:${hash}`, row);
        }
      }
      return keys.map((own) => own.map(({ type, hash }) => bySlot.get(`${type}:${hash}`)).find(Boolean) ?? null);
    },

    /** Each identifier given, normalised, with its keyed hash, in the order they are matched (email first). */
    keys(identifiers: Identifiers): IdentifierKey[] {
      return ORDER.flatMap((type) => {
        const value = identifiers[type];
        if (!value) return [];
        const hashes = this.hashes(type, value);
        return [{ type, value, hash: hashes[0], hashes }];
      });
    },

    async byPseudonym(pseudonym: string): Promise<SubjectRow | null> {
      return query().findOne({ where: { pseudonym } });
    },

    /**
     * The subject for these identifiers, created if new; identifiers it did not have yet are added unless
     * another subject already holds them. Call it inside the ledger lock (`ledger.lock()`), which makes
     * find-then-create safe with concurrent submissions on several instances.
     */
    async resolve(identifiers: Identifiers, profile: SubjectProfile): Promise<ResolvedSubject> {
      return (await this.resolveMany([{ identifiers, profile }]))[0];
    },

    /**
     * `resolve` for several people at once, in order, with one read and one insert for all of them: a
     * later entry with an identifier of an earlier one gets the same subject.
     */
    async resolveMany(requests: SubjectRequest[]): Promise<ResolvedSubject[]> {
      const { resolved, writes } = await this.prepareMany(requests);
      await writeAll(strapi, writes);
      return resolved;
    },

    /**
     * The read `prepareMany` makes, as one query its caller can send with the ledger lock (on PostgreSQL in
     * the same round trip: `ledger.batch`'s `readUnderLock`); null when it takes more than one query.
     */
    holdersQuery(requests: SubjectRequest[]) {
      const keys = requests.flatMap((r) => this.keys(r.identifiers));
      const byType = ORDER.map((type) => ({
        column: COLUMNS[HASH_COLUMN[type]],
        hashes: [...new Set(keys.filter((k) => k.type === type).flatMap((k) => k.hashes))],
      })).filter((t) => t.hashes.length > 0);
      if (byType.length === 0 || byType.some((t) => t.hashes.length > LOOKUP_CHUNK)) return null;
      return strapi.db
        .connection(TABLE.subject)
        .select(COLUMNS)
        .where((w) => {
          for (const t of byType) w.orWhereIn(t.column, t.hashes);
        });
    },

    /**
     * `resolveMany` with the insert of the new people left to the caller (`writes`), who sends it with
     * its own writes (group commit). People to update are updated at once (rare: a known person with a
     * new identifier, language or audience). `found`: the rows `holdersQuery` read, already under the lock.
     */
    async prepareMany(
      requests: SubjectRequest[],
      found?: Record<string, unknown>[]
    ): Promise<{ resolved: ResolvedSubject[]; writes: TableWrite[] }> {
      const keys = requests.map((r) => this.keys(r.identifiers));
      // Who holds each identifier, kept current as people are created or given new identifiers below.
      const byKey = new Map<string, Subject>();
      const slot = ({ type, hash }: { type: IdentifierType; hash: string }) => `${type}:${hash}`;
      const hold = (subject: Subject) => {
        for (const type of ORDER) {
          const hash = subject[HASH_COLUMN[type]];
          if (hash) byKey.set(slot({ type, hash }), subject);
        }
      };
      for (const row of found ? (found as unknown as SubjectRow[]).map(holderRow) : await holders(keys.flat()))
        hold(row);
      const fresh = new Set<Subject>();
      const results: ResolvedSubject[] = [];
      for (const [i, { profile }] of requests.entries()) {
        const existing = keys[i].map((k) => byKey.get(slot(k))).find(Boolean) ?? null;
        const missing: Partial<Subject> = {};
        for (const key of keys[i]) {
          if (existing && (existing[key.type] || byKey.has(slot(key)))) continue;
          missing[key.type] = key.value;
          missing[HASH_COLUMN[key.type]] = key.hash;
        }
        if (!existing) {
          const subject: Subject = {
            pseudonym: orderedId(),
            ...NO_IDENTIFIERS,
            ...missing,
            language: profile.language ?? null,
            audience: profile.audience ?? 'any',
            jurisdiction: profile.jurisdiction ?? config().jurisdiction,
            child: profile.childStatus ? profile.childStatus.child : null,
            childUntil: profile.childStatus?.childUntil ?? null,
            erasedAt: null,
          };
          hold(subject);
          fresh.add(subject);
          results.push({ subject, created: true });
          continue;
        }
        // A person recorded under a previous secret is rewritten under the current one (rehash on write).
        const patch: Partial<Subject> = { ...(stale.get(existing as SubjectRow) ?? {}), ...missing };
        if (profile.language && !existing.language) patch.language = profile.language;
        if (profile.audience && profile.audience !== existing.audience) patch.audience = profile.audience;
        if (profile.jurisdiction && profile.jurisdiction !== existing.jurisdiction)
          patch.jurisdiction = profile.jurisdiction;
        if (profile.childStatus) {
          const before = childStatusOf(existing);
          const merged = mergeChildStatus(before, profile.childStatus);
          if (merged.child !== before?.child || merged.childUntil?.getTime() !== before?.childUntil?.getTime()) {
            patch.child = merged.child;
            patch.childUntil = merged.childUntil;
          }
        }
        if (Object.keys(patch).length === 0 || fresh.has(existing)) {
          // A subject created by an earlier entry is not written yet: it takes the patch in memory.
          Object.assign(existing, patch);
          hold(existing);
          results.push({ subject: existing, created: fresh.has(existing) });
          continue;
        }
        const updated: SubjectRow = await query().update({ where: { id: (existing as SubjectRow).id }, data: patch });
        hold(updated);
        results.push({ subject: updated, created: false });
      }
      // knex rather than the query engine, which would read every new row back: this is on every sign-up's path.
      const now = new Date();
      const rows = [...fresh].map((subject) => ({
        ...toColumns(subject),
        document_id: documentId(),
        created_at: now,
        updated_at: now,
        published_at: now,
      }));
      return { resolved: results, writes: [{ table: TABLE.subject, insert: rows }] };
    },

    /**
     * The rehash job, after a secret rotation: every person still holding a previous secret's hashes is
     * rewritten under the current one (from the identifiers kept in clear beside them), and the suppression
     * entries under a previous secret's hash of their identifiers move to the current one. Pages of
     * `REHASH_PAGE` rows by id, each in its own short transaction; idempotent and safe beside live traffic
     * (a row is only rewritten if its identifiers did not change since it was read, so an erasure in
     * between is never undone). Nothing to do, and no query, when no previous secret is configured.
     * What it cannot rehash: entries and rows whose identifier is no longer held in clear (erased people's
     * suppression entries), which match only while their secret stays in `previousSecrets`.
     */
    async rehash({ pageSize = REHASH_PAGE }: { pageSize?: number } = {}): Promise<RehashResult> {
      const result: RehashResult = { scanned: 0, rehashed: 0, suppressionsRekeyed: 0 };
      const previous = hmacKeys().slice(1);
      if (previous.length === 0) return result;
      const knex = () => strapi.db.connection;
      let after = 0;
      for (;;) {
        const rows = (await knex()(TABLE.subject)
          .select(COLUMNS)
          .where('id', '>', after)
          .andWhere((q) => q.whereNotNull('email').orWhereNotNull('phone').orWhereNotNull('external_id'))
          .orderBy('id', 'asc')
          .limit(pageSize)) as unknown as SubjectRow[];
        if (rows.length === 0) break;
        after = Number(rows[rows.length - 1].id);
        result.scanned += rows.length;
        const moves = new Map<string, string>();
        for (const row of rows) {
          for (const type of ORDER) {
            const value = row[type];
            if (!value) continue;
            const now = identifierHash(hmacKeys()[0], type, value);
            for (const key of previous) moves.set(identifierHash(key, type, value), now);
          }
        }
        const changes = rows
          .map((row) => ({ row, patch: staleHashes(row, currentHashes(row)) }))
          .filter((c) => Object.keys(c.patch).length > 0);
        await strapi.db.transaction(async ({ trx }) => {
          if (changes.length) {
            // One statement per page (a round trip per row made 20,000 people take a minute on PostgreSQL).
            // Each hash is rewritten only if its identifier is still the one read: an erasure or a
            // forget since then wins, its null identifier matches no branch and the column keeps its value.
            const data: Record<string, unknown> = {};
            for (const type of ORDER) {
              const column = COLUMNS[HASH_COLUMN[type]];
              const list = changes.filter((c) => c.patch[HASH_COLUMN[type]]);
              if (list.length === 0) continue;
              data[column] = knex().raw(
                `case ${list.map(() => 'when ?? = ? and ?? = ? then ?').join(' ')} else ?? end`,
                [
                  ...list.flatMap((c) => ['id', c.row.id, COLUMNS[type], c.row[type], c.patch[HASH_COLUMN[type]]]),
                  column,
                ]
              );
            }
            const updated = await knex()(TABLE.subject)
              .transacting(trx as never)
              .whereIn(
                'id',
                changes.map((c) => c.row.id)
              )
              .update(data);
            result.rehashed += Number(updated);
          }
          result.suppressionsRekeyed += await getService('suppression').rekey(moves);
        });
        if (rows.length < pageSize) break;
      }
      return result;
    },

    /**
     * Clears the identifiers of a person the plugin no longer needs to reach or to recognise: no grant,
     * no pending request, no objection or withdrawal to honour (B4: an address never confirmed is not
     * kept), no proof that must still be kept (C8, I5). The pseudonym and the ledger stay; a later sign-up
     * makes a new subject.
     */
    /** The identifier columns of these people as stored now (none once erased): webhook payloads. */
    async identifiersOf(pseudonyms: string[]): Promise<SubjectRow[]> {
      return query().findMany({
        select: ['pseudonym', 'email', 'phone', 'externalId'],
        where: { pseudonym: { $in: pseudonyms } },
      });
    },

    // Eligibility's and audiences' reads: knex, in the caller's transaction, one statement each.

    /**
     * The people whose attribute `by` is one of `values`, as `s`, with what `extend` selects and adds to
     * the same statement (eligibility joins each one's state: ledger.joinStates).
     */
    async readWhere(
      by: keyof typeof COLUMNS,
      values: string[],
      extend: (query: QueryBuilder) => QueryBuilder
    ): Promise<Record<string, unknown>[]> {
      if (values.length === 0) return [];
      return onTable(strapi, `${TABLE.subject} as s`, (q) => extend(q.whereIn(`s.${COLUMNS[by]}`, values)));
    },

    /** Every person, as `s`, in id order after `after`: a page of audiences for a purpose nobody opts in to. */
    pageAfter(after: number | string): QueryBuilder {
      return strapi.db.connection({ s: TABLE.subject }).where('s.id', '>', after).orderBy('s.id', 'asc');
    },

    /** Joins to `query` the person its column `on` names, as `s` (audiences: a granted state's holder). */
    joinHolders(query: QueryBuilder, on: string): QueryBuilder {
      return query.join({ s: TABLE.subject }, 's.pseudonym', on);
    },

    /** These people's stored hashes as arrays: pseudonym, email hash, phone hash, external id hash. */
    async storedHashesOf(pseudonyms: string[]): Promise<unknown[][]> {
      if (pseudonyms.length === 0) return [];
      return rowArrays(
        strapi,
        strapi.db
          .connection({ s: TABLE.subject })
          .select(
            [COLUMNS.pseudonym, COLUMNS.emailHash, COLUMNS.phoneHash, COLUMNS.externalIdHash].map((c) => `s.${c}`)
          )
          .whereIn('s.pseudonym', pseudonyms)
      );
    },

    // The retention jobs' reads (services/retention.ts): each one query, in the caller's transaction when
    // there is one; rows as the query engine gives them, as each caller has always typed them.
    /** These people's jurisdiction and audience (C8, I5: whose proof is held). */
    async profilesOf(pseudonyms: string[]): Promise<any[]> {
      return query().findMany({
        select: ['pseudonym', 'jurisdiction', 'audience'],
        where: { pseudonym: { $in: pseudonyms } },
      });
    },

    /** Whoever holds any of these hashes, with their hashes (I3). */
    async holdersOfHashes(hashes: string[]): Promise<any[]> {
      return query().findMany({
        select: ['pseudonym', 'emailHash', 'phoneHash', 'externalIdHash'],
        where: { $or: Object.values(HASH_COLUMN).map((column) => ({ [column]: { $in: hashes } })) },
      });
    },

    /** A page (by id, after `after`) of the people collected before `before` that `where` selects. */
    async collectedBefore(
      before: Date,
      where: Record<string, unknown>,
      page: { select: string[]; after: number; limit: number }
    ): Promise<any[]> {
      return query().findMany({
        select: page.select,
        where: { id: { $gt: page.after }, createdAt: { $lt: before }, ...where },
        orderBy: { id: 'asc' },
        limit: page.limit,
      });
    },

    /** Those of these people `where` still selects (re-read under the lock). */
    async subjectsAmong(ids: number[], where: Record<string, unknown>, select: string[]): Promise<any[]> {
      return query().findMany({ select, where: { id: { $in: ids }, ...where } });
    },

    async forgetIfUnneeded(pseudonym: string, now = new Date()): Promise<boolean> {
      const needed = await getService('ledger').countStatesOf(pseudonym, [
        'granted',
        'pending',
        'objected',
        'withdrawn',
      ]);
      if (needed > 0) return false;
      // Proof of a German telephone consent keeps its link to the number for five years (C8, I5).
      if ((await getService('retention').proofHeld([pseudonym], now)).size > 0) return false;
      // A copy: the query engine adds `updatedAt` to the object it is given, and the shared constant then
      // gave every person created afterwards a column named "undefined" (500 on every new sign-up).
      await query().update({ where: { pseudonym }, data: { ...NO_IDENTIFIERS } });
      return true;
    },

    /**
     * Erasure's part on this table (I1): identifiers, their keyed hashes and the profile go; the pseudonym
     * stays, so the ledger and receipts keep their meaning without pointing at anyone.
     */
    async erase(pseudonym: string, erasedAt: Date): Promise<void> {
      await this.eraseMany({ pseudonym }, erasedAt);
    },

    /** `erase` for every subject `where` selects (the prospect purge erases a page of people at once). */
    async eraseMany(where: Record<string, unknown>, erasedAt: Date): Promise<void> {
      await query().updateMany({
        where,
        data: { ...NO_IDENTIFIERS, language: null, audience: null, child: null, childUntil: null, erasedAt },
      });
    },
  };
};

export default subjects;
export type SubjectsService = ReturnType<typeof subjects>;
