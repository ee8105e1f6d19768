import type { Channel, ConsentAction, ConsentMethod, ConsentState, LegalBasis } from './domain';

/** What an event decides, from the capture rules' plan to the stored row. */
export interface EventDecision {
  purpose: string;
  channel: Channel;
  action: ConsentAction;
  /** The state the event leaves the person in, for this purpose and channel. */
  state: ConsentState;
  method: ConsentMethod;
  legalBasis: LegalBasis;
}

/**
 * The fields of a ledger event that every reader shows the same way: the admin's ledger explorer
 * (`LedgerEvent`, contracts/records) and the person's own export (`ExportedEvent`, contracts/subjects).
 */
export interface RecordedEvent extends EventDecision {
  seq: number;
  eventId: string;
  /** ISO 8601 UTC with milliseconds; for imported events, when it happened elsewhere (not when recorded). */
  occurredAt: string;
  /** `subject`, `admin:<id>`, `import:<source>`, `system` … */
  actor: string;
  formKey: string | null;
  pageUrl: string | null;
  receiptId: string | null;
  /** Request context (IP as configured by `ipStorage`, user agent); not in CSV exports. */
  context: Record<string, unknown> | null;
  /** Evidence of the event (double opt-in times, form-hook entry, staff note); not in CSV exports. */
  evidence: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}
