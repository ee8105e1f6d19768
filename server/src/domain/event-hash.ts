import { canonicalJson, canonicalString, sha256Hex } from '../utils/canonical-json';

/** The hash of the chain's first link's predecessor. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers: all of them, except the database's own bookkeeping. */
export const HASHED_FIELDS = [
  'seq',
  'eventId',
  'subject',
  'purpose',
  'channel',
  'action',
  'state',
  'method',
  'legalBasis',
  'noticeId',
  'noticeVersion',
  'noticeHash',
  'noticeLanguage',
  'formKey',
  'pageUrl',
  'context',
  'evidence',
  'actor',
  'receiptId',
  'occurredAt',
  'prevHash',
] as const;

export type HashedEvent = Record<(typeof HASHED_FIELDS)[number], unknown>;

/**
 * The hashed fields as the hash reads them: `undefined` as null, numbers for `seq`, `noticeId` and
 * `noticeVersion` (some drivers return big integers as strings), and `occurredAt` as an ISO-8601 UTC string
 * with milliseconds. The NDJSON export writes events in this form, so an offline verifier hashes exactly
 * what the server hashed.
 */
export const hashedFieldsOf = (event: Partial<HashedEvent>): HashedEvent => {
  const normalised: Record<string, unknown> = {};
  for (const field of HASHED_FIELDS) {
    const value = event[field];
    if (value === undefined || value === null) normalised[field] = null;
    else if (field === 'seq' || field === 'noticeId' || field === 'noticeVersion') normalised[field] = Number(value);
    else if (field === 'occurredAt') normalised[field] = new Date(value as string | Date).toISOString();
    else normalised[field] = value;
  }
  return normalised as HashedEvent;
};

// The hashed fields in canonical (code point) order with their JSON keys, computed once: an event's
// canonical JSON is then one pass over them, without building and sorting an object per event.
const SORTED_FIELDS = [...HASHED_FIELDS]
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  .map((field, i) => ({ field, prefix: `${i === 0 ? '{' : ','}${JSON.stringify(field)}:` }));
const NUMERIC_FIELDS = new Set<string>(['seq', 'noticeId', 'noticeVersion']);
const JSON_FIELDS = new Set<string>(['context', 'evidence']);

/** The hashed fields in the order their canonical JSON lists them: the order `eventHashOfValues` reads. */
export const CANONICAL_FIELDS: readonly (typeof HASHED_FIELDS)[number][] = SORTED_FIELDS.map((f) => f.field);

// How each field is written, decided once per field rather than once per event.
type Kind = 'number' | 'date' | 'json' | 'other';
const KINDS: Kind[] = SORTED_FIELDS.map(({ field }) =>
  NUMERIC_FIELDS.has(field) ? 'number' : field === 'occurredAt' ? 'date' : JSON_FIELDS.has(field) ? 'json' : 'other'
);
const PREFIXES = SORTED_FIELDS.map((f) => f.prefix);

const valueJson = (kind: Kind, value: unknown): string => {
  if (value === undefined || value === null) return 'null';
  if (kind === 'number') return canonicalJson(Number(value));
  if (kind === 'date') return JSON.stringify((value instanceof Date ? value : new Date(value as string)).toISOString());
  if (typeof value === 'string') return canonicalString(value);
  return canonicalJson(value);
};

/**
 * `canonicalJson(hashedFieldsOf(event))`, byte for byte (test/unit/event-hash.test.ts), in one pass:
 * verification hashes every event of the ledger, and the generic form spent most of its time there.
 */
export const canonicalEventJson = (event: Partial<HashedEvent>): string => {
  let out = '';
  for (let i = 0; i < SORTED_FIELDS.length; i++)
    out += PREFIXES[i] + valueJson(KINDS[i], event[SORTED_FIELDS[i].field]);
  return `${out}}`;
};

// JSON fields' canonical forms by their stored text: the events of one submission share their context, and
// parsing and re-sorting it was a large part of reading a page. Bounded: cleared when full.
const JSON_TEXT_CACHE_SIZE = 2000;
const jsonTextCache = new Map<string, string>();
const canonicalOfJsonText = (text: string): string => {
  let canonical = jsonTextCache.get(text);
  if (canonical === undefined) {
    canonical = canonicalJson(JSON.parse(text));
    if (jsonTextCache.size >= JSON_TEXT_CACHE_SIZE) jsonTextCache.clear();
    jsonTextCache.set(text, canonical);
  }
  return canonical;
};

/**
 * `canonicalEventJson` of an event given as its values in `CANONICAL_FIELDS` order, as a database row read
 * as an array answers them: the JSON fields as their stored text (SQLite, MySQL) or already parsed
 * (PostgreSQL), as `database/ledger-rows.ts` `fromEventColumns` reads them. The verification's inner loop:
 * no object per event.
 */
export const canonicalEventJsonOfValues = (values: readonly unknown[]): string => {
  let out = '';
  for (let i = 0; i < KINDS.length; i++) {
    const value = values[i];
    out += PREFIXES[i];
    out += KINDS[i] === 'json' && typeof value === 'string' ? canonicalOfJsonText(value) : valueJson(KINDS[i], value);
  }
  return `${out}}`;
};

/** `eventHash` of an event given as its values in `CANONICAL_FIELDS` order (`canonicalEventJsonOfValues`). */
export const eventHashOfValues = (values: readonly unknown[]): string => sha256Hex(canonicalEventJsonOfValues(values));

/**
 * SHA-256 over the canonical JSON (utils/canonical-json) of the hashed fields (`hashedFieldsOf`). Each
 * event covers `prevHash`, so editing, deleting or reordering any event breaks every later link
 * (docs/ledger.md).
 */
export const eventHash = (event: Partial<HashedEvent>): string => sha256Hex(canonicalEventJson(event));
