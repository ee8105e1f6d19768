import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Audience, IdentifierType, Jurisdiction } from '../../../shared/contracts/domain';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, TABLE, UID } from '../constants';
import { documentIds } from '../database/document-id';
import { orderedId } from '../database/ordered-id';
import { onTable } from '../database/in-transaction';
import { SUBJECT_COLUMNS as COLUMNS } from '../database/subject-rows';
import { writeAll, type TableWrite } from '../database/write-all';
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
  hash: string;
}

// Hashes per lookup query.
const LOOKUP_CHUNK = 500;

const HASH_COLUMN = { email: 'emailHash', phone: 'phoneHash', externalId: 'externalIdHash' } as const;
const ORDER: IdentifierType[] = ['email', 'phone', 'externalId'];

/** The identifiers a subject row holds (none once erased). */
export const identifiersOf = (row: Pick<SubjectRow, IdentifierType>): Identifiers =>
  Object.fromEntries(ORDER.filter((k) => row[k]).map((k) => [k, row[k] as string]));

/** A subject's stored age outcome (G1), or null when the person was never asked. */
export const childStatusOf = (row: Pick<SubjectRow, 'child' | 'childUntil'>): ChildStatus | null => {
  if (row.child == null) return null;
  const until = row.childUntil == null ? null : new Date(typeof row.childUntil === 'string' && /^\d+$/.test(row.childUntil) ? Number(row.childUntil) : row.childUntil);
  // SQLite gives booleans back as 0/1.
  return { child: !!row.child && String(row.child) !== '0' && String(row.child) !== 'false', childUntil: until };
};

const toColumns = (data: Partial<Subject>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [COLUMNS[k as keyof SubjectRow], v]));

/** A subject's identifiers and their keyed hashes, cleared. */
const NO_IDENTIFIERS = { email: null, emailHash: null, phone: null, phoneHash: null, externalId: null, externalIdHash: null };

/**
 * People known to the ledger. The ledger refers to them by pseudonym only; identifiers live here,
 * normalised, next to their keyed hashes (lookups go by hash), so erasure clears them in one place
 * without touching the chain.
 */

const subjects = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(UID.subject);
  const documentId = documentIds(strapi, UID.subject);

  /** Every subject holding one of these identifier hashes: one query (per 500 hashes of a type). */
  const holders = async (keys: IdentifierKey[]): Promise<SubjectRow[]> => {
    const rows: SubjectRow[] = [];
    for (const type of ORDER) {
      const hashes = [...new Set(keys.filter((k) => k.type === type).map((k) => k.hash))];
      for (let i = 0; i < hashes.length; i += LOOKUP_CHUNK) {
        const found = await onTable(strapi, TABLE.subject, (q) =>
          q.select(COLUMNS).whereIn(COLUMNS[HASH_COLUMN[type]], hashes.slice(i, i + LOOKUP_CHUNK))
        );
        rows.push(...(found as unknown as SubjectRow[]).map((r) => ({ ...r, id: Number(r.id) })));
      }
    }
    return rows;
  };
  let key: Buffer | undefined;
  const hmacKey = () => (key ??= identifierKey(getService('secrets').get()));
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

    /** Keyed hash of an already normalised identifier (also the key of suppression entries). */
    hash(type: IdentifierType, normalised: string): string {
      return identifierHash(hmacKey(), type, normalised);
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
        return value ? [{ type, value, hash: this.hash(type, value) }] : [];
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
     * `resolveMany` with the insert of the new people left to the caller (`writes`), who sends it with
     * its own writes (group commit). People to update are updated at once (rare: a known person with a
     * new identifier, language or audience).
     */
    async prepareMany(requests: SubjectRequest[]): Promise<{ resolved: ResolvedSubject[]; writes: TableWrite[] }> {
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
      for (const row of await holders(keys.flat())) hold(row);
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
        const patch: Partial<Subject> = { ...missing };
        if (profile.language && !existing.language) patch.language = profile.language;
        if (profile.audience && profile.audience !== existing.audience) patch.audience = profile.audience;
        if (profile.jurisdiction && profile.jurisdiction !== existing.jurisdiction) patch.jurisdiction = profile.jurisdiction;
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
     * Clears the identifiers of a person the plugin no longer needs to reach or to recognise: no grant,
     * no pending request, no objection or withdrawal to honour (B4: an address never confirmed is not
     * kept), no proof that must still be kept (C8, I5). The pseudonym and the ledger stay; a later sign-up
     * makes a new subject.
     */
    async forgetIfUnneeded(pseudonym: string, now = new Date()): Promise<boolean> {
      const needed = await strapi.db
        .query(UID.state)
        .count({ where: { subject: pseudonym, state: { $in: ['granted', 'pending', 'objected', 'withdrawn'] } } });
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
      await query().updateMany({ where, data: { ...NO_IDENTIFIERS, language: null, audience: null, child: null, childUntil: null, erasedAt } });
    },
  };
};

export default subjects;
export type SubjectsService = ReturnType<typeof subjects>;
