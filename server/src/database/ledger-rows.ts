import type { StateRow } from '../domain/consent-state';
import { CANONICAL_FIELDS, HASHED_FIELDS } from '../domain/event-hash';
import { PRUNED_FIELDS } from '../domain/proof-pruning';

/**
 * The rows of `consent_events` and `consent_states` as the ledger writes and reads them with knex: the
 * query engine reads every created row back, which doubled the statements of a submission. Anything else
 * that writes ledger rows in bulk (the benchmark's seed) uses these too, so its rows are the ledger's.
 */

/** An event or state field's column name (`legalBasis` → `legal_basis`). */
export const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** The columns pruning clears (domain/proof-pruning.ts `PRUNED_FIELDS`). */
export const PRUNED_COLUMNS = PRUNED_FIELDS.map(snake);
/** What a pruned event carries besides its kept fields (I5): when, and the seal over what it kept. */
export const PRUNE_MARKER_COLUMNS = ['pruned_at', 'prune_seal'];
const JSON_FIELDS = new Set(['context', 'evidence']);

/** Every field of an event: the hashed ones and the hash itself. */
const EVENT_FIELDS = [...HASHED_FIELDS, 'hash'] as const;
export const EVENT_COLUMNS = EVENT_FIELDS.map(snake);

/** The hashed columns in the order `eventHashOfValues` reads a row's values (domain/event-hash.ts). */
export const CANONICAL_EVENT_COLUMNS = CANONICAL_FIELDS.map(snake);

type EventFields = Record<(typeof EVENT_FIELDS)[number], unknown>;

// Each field with its column, computed once: reading pages of events is the verification's inner loop, and
// writing them the submissions' (a regular expression per field per event was a percent of a submission).
const EVENT_FIELD_COLUMNS = EVENT_FIELDS.map((field) => ({
  field,
  column: snake(field),
  json: JSON_FIELDS.has(field),
}));

/** What the query engine would write for an event (no document id: these rows are never documents). */
export const toEventColumns = (e: Partial<EventFields>, now: Date) => {
  const row: Record<string, unknown> = { created_at: now, updated_at: now, published_at: now };
  for (const { field, column, json } of EVENT_FIELD_COLUMNS) {
    const value = e[field] ?? null;
    row[column] = json && value != null ? JSON.stringify(value) : value;
  }
  return row;
};

/** An event row read with knex, under the field names `eventHash` reads (MySQL and SQLite give JSON as text). */
export const fromEventColumns = (r: Record<string, any>): EventFields & { eventId: string; hash: string } => {
  const event: Record<string, unknown> = {};
  for (const { field, column, json } of EVENT_FIELD_COLUMNS) {
    const value = r[column];
    event[field] = json && typeof value === 'string' ? JSON.parse(value) : (value ?? null);
  }
  return event as EventFields & { eventId: string; hash: string };
};

export const STATE_COLUMNS = [
  'id',
  'subject',
  'purpose',
  'channel',
  'state',
  'legal_basis',
  'notice_id',
  'notice_version',
  'last_event_seq',
  'changed_at',
  'granted_at',
  'expires_at',
];

const dateOrNull = (value: unknown) => (value == null ? null : new Date(value as string | number | Date));

// Drivers answer big integers as strings, dates as Date or epoch milliseconds (SQLite), booleans as 0/1.
export const fromStateColumns = (r: Record<string, any>): StateRow => ({
  state: r.state,
  legalBasis: r.legal_basis,
  noticeId: r.notice_id == null ? null : Number(r.notice_id),
  noticeVersion: r.notice_version == null ? null : Number(r.notice_version),
  lastEventSeq: Number(r.last_event_seq),
  changedAt: new Date(r.changed_at),
  grantedAt: dateOrNull(r.granted_at),
  expiresAt: dateOrNull(r.expires_at),
});

export const toStateColumns = (s: StateRow) => ({
  state: s.state,
  legal_basis: s.legalBasis,
  notice_id: s.noticeId,
  notice_version: s.noticeVersion,
  last_event_seq: s.lastEventSeq,
  changed_at: s.changedAt,
  granted_at: s.grantedAt,
  expires_at: s.expiresAt,
});
