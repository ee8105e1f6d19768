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

/**
 * `canonicalJson(hashedFieldsOf(event))`, byte for byte (test/unit/event-hash.test.ts), in one pass:
 * verification hashes every event of the ledger, and the generic form spent most of its time there.
 */
export const canonicalEventJson = (event: Partial<HashedEvent>): string => {
  let out = '';
  for (const { field, prefix } of SORTED_FIELDS) {
    const value = event[field];
    out += prefix;
    if (value === undefined || value === null) out += 'null';
    else if (NUMERIC_FIELDS.has(field)) out += canonicalJson(Number(value));
    else if (field === 'occurredAt')
      out += JSON.stringify((value instanceof Date ? value : new Date(value as string)).toISOString());
    else if (typeof value === 'string') out += canonicalString(value);
    else out += canonicalJson(value);
  }
  return `${out}}`;
};

/**
 * SHA-256 over the canonical JSON (utils/canonical-json) of the hashed fields (`hashedFieldsOf`). Each
 * event covers `prevHash`, so editing, deleting or reordering any event breaks every later link
 * (docs/ledger.md).
 */
export const eventHash = (event: Partial<HashedEvent>): string => sha256Hex(canonicalEventJson(event));
