/**
 * The fields of an exported ledger event, written out here by hand on purpose, not imported from
 * server/src/domain/event-hash.ts. Every stored hash, every receipt and every export a controller has
 * already handed to an auditor depends on exactly this set: a test that read the list from the code under
 * test would pass whatever the code did to it, and a field added, dropped or renamed there would silently
 * change what every future hash covers and make older exports unverifiable. Changing this list is a
 * change to the proof format (docs/ledger.md), never a refactoring.
 */
export const HASHED_EVENT_FIELDS = [
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

/** An NDJSON export line: the hashed fields, the event's own hash and its receipt (not hashed). */
export const EXPORTED_EVENT_FIELDS = [...HASHED_EVENT_FIELDS, 'hash', 'receipt'] as const;
