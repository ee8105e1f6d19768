import type { Audience, Channel, ConsentAction, ConsentMethod, ConsentState, Jurisdiction, LegalBasis } from './domain';
import type { RecordedEvent } from './events';

/**
 * The ledger explorer, subject view and dashboard (spec 4.3), admin routes under `/consent` with the
 * actions `records.read` (reading) and `records.export` (downloads).
 */

/** One ledger event as admins read it. Pseudonymous: the person's identifiers live on the subject. */
export interface LedgerEvent extends Omit<RecordedEvent, 'actor'> {
  /** The person's pseudonym; null once the event was pruned at the end of its proof period (I5). */
  subject: string | null;
  /** null once pruned (I5). */
  actor: string | null;
  noticeId: number | null;
  noticeVersion: number | null;
  noticeHash: string | null;
  noticeLocale: string | null;
}

/** Filters shared by the search and the CSV export. `subject` and `email` exclude each other. */
export interface EventFilters {
  subject?: string;
  /** Normalised like submissions and looked up by keyed hash; an unknown address selects nothing. */
  email?: string;
  purpose?: string;
  channel?: Channel;
  action?: ConsentAction;
  method?: ConsentMethod;
  /** Inclusive: `YYYY-MM-DD` (start of that UTC day) or an ISO 8601 time. */
  from?: string;
  /** Inclusive: `YYYY-MM-DD` (the whole UTC day) or an ISO 8601 time. */
  to?: string;
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

export const EVENTS_PAGE_SIZE_MAX = 100;

/** `GET /consent/events`: newest first (by `seq`). */
export declare namespace ListEvents {
  export interface Request {
    query: EventFilters & { page?: number; pageSize?: number };
  }
  export interface Response {
    data: LedgerEvent[];
    meta: { pagination: Pagination };
  }
}

/**
 * `GET /consent/events/export?format=csv&…filters`: `text/csv` attachment, header row, CRLF, RFC 4180
 * quoting, in ledger order (`seq` ascending). These columns only: no identifier but the pseudonym.
 */
export const CSV_COLUMNS = [
  'seq',
  'eventId',
  'occurredAt',
  'subject',
  'purpose',
  'channel',
  'action',
  'state',
  'method',
  'legalBasis',
  'actor',
  'noticeId',
  'noticeVersion',
  'noticeHash',
  'noticeLocale',
  'formKey',
  'pageUrl',
  'receiptId',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof LedgerEvent)[];

export declare namespace ExportEvents {
  export interface Request {
    query: EventFilters & { format?: 'csv' | 'ndjson' };
  }
}

/**
 * `GET /consent/events/export?format=ndjson&…filters` (`application/x-ndjson`): the proof, checkable
 * offline with `npx strapi-plugin-consent verify` (docs/operations.md). Line 1 is the header; every other
 * line is one event, in ledger order, with every field its hash covers.
 */
export const LEDGER_EXPORT_FORMAT = 'strapi-plugin-consent/ledger-export@1';

export interface LedgerExportHeader {
  format: typeof LEDGER_EXPORT_FORMAT;
  exportedAt: string;
  /** The chain's head when the export began; no later event is exported. */
  head: { seq: number; hash: string };
  /**
   * The filters applied (an email as the person's pseudonym, `subject`), or null for the whole ledger.
   * Only an unfiltered export can show that no event is missing.
   */
  filter: null | {
    subject?: string;
    purpose?: string;
    channel?: string;
    action?: string;
    method?: string;
    /** The time window as [since, until), ISO 8601 UTC. */
    since?: string;
    until?: string;
  };
  /**
   * The ledger's signed checkpoints up to the head, oldest first (absent from exports made before
   * checkpoints were exported): the verifier checks each seal and that the chain it recomputes holds, at
   * the checkpoint's seq, the event and hash the checkpoint states.
   */
  checkpoints?: LedgerExportCheckpoint[];
}

/** A checkpoint as stored (docs/ledger.md, "Checkpoints"): what it states and its seal (a JWS over that). */
export interface LedgerExportCheckpoint {
  seq: number;
  eventId: string;
  hash: string;
  count: number;
  createdAt: string;
  seal: string;
}

export interface LedgerExportEvent {
  seq: number;
  eventId: string;
  /** null once pruned (I5), like the other personal fields. */
  subject: string | null;
  purpose: string;
  channel: string;
  action: string;
  state: string;
  method: string;
  legalBasis: string;
  noticeId: number | null;
  noticeVersion: number | null;
  noticeHash: string | null;
  noticeLanguage: string | null;
  formKey: string | null;
  pageUrl: string | null;
  context: Record<string, unknown> | null;
  evidence: Record<string, unknown> | null;
  actor: string | null;
  receiptId: string | null;
  occurredAt: string;
  prevHash: string;
  hash: string;
  /** The signed receipt (JWS compact) named by `receiptId`, or null. */
  receipt: string | null;
  /** I5: when the event's personal fields were pruned; absent on an event never pruned. */
  prunedAt?: string;
  /** I5: JWS (`typ: consent-prune+jwt`, the receipts' key) over what a pruned event keeps (domain/proof-pruning.ts). */
  pruneSeal?: string;
}

/** The notice version an event was given under, as the person read it. */
export interface EventNotice {
  id: number;
  version: number;
  locale: string;
  /** The content hash fixed at publication (docs/notices.md); equals the event's `noticeHash`. */
  hash: string | null;
  title: string;
  body: string;
  /** The withdrawal or objection sentence shown with the text. */
  withdrawal: string | null;
  dataCategories: string[];
  recipients: string[];
  privacyPolicyUrl: string | null;
}

export interface SubjectState {
  purpose: string;
  channel: Channel;
  state: ConsentState;
  legalBasis: LegalBasis;
  noticeVersion: number | null;
  changedAt: string;
  grantedAt: string | null;
  expiresAt: string | null;
  reconsentRequired: boolean;
}

export interface SubjectRecord {
  pseudonym: string;
  /** Identifiers, shown to admins; null once erased or never given. */
  email: string | null;
  phone: string | null;
  externalId: string | null;
  language: string | null;
  /** Null once erased. */
  audience: Audience | null;
  jurisdiction: Jurisdiction | null;
  /**
   * Recorded as below the age of digital consent on a form offered to children (G1): only the outcome and
   * the day it ends are kept, never the age. `childUntil` null when not a child.
   */
  child: boolean;
  childUntil: string | null;
  createdAt: string | null;
  erasedAt: string | null;
}

/** `GET /consent/subjects/:pseudonym`: the person, their states and their timeline (oldest first). */
export declare namespace GetSubject {
  export interface Response {
    data: {
      subject: SubjectRecord;
      states: SubjectState[];
      timeline: (LedgerEvent & { notice: EventNotice | null })[];
    };
  }
}

/** `GET /consent/subjects?email=` (or `phone=`, `externalId=`): 404 when nobody has it. */
export declare namespace FindSubject {
  export interface Request {
    query: { email?: string; phone?: string; externalId?: string };
  }
  export interface Response {
    data: { pseudonym: string };
  }
}

/** Counts per action; `confirmationRate` = confirmed / requested (null without requests). */
export type ActionCounts = Record<ConsentAction, number> & { confirmationRate: number | null };

export interface PurposeStats {
  purpose: string;
  /** The purpose's name, null for a key no longer in the purposes table. */
  name: string | null;
  totals: ActionCounts;
  /** One entry per day of the period, in order (days without events count zero). */
  days: (ActionCounts & { day: string })[];
}

/**
 * `GET /consent/stats?from=YYYY-MM-DD&to=YYYY-MM-DD` (UTC days, inclusive; default the last 30 days, at
 * most 366). Events are counted on the day they occurred. A double opt-in grant is counted as `confirmed`
 * (its `requested` the day it was asked), a direct one as `granted`.
 */
export declare namespace GetStats {
  export interface Request {
    query: { from?: string; to?: string };
  }
  export interface Response {
    data: {
      from: string;
      to: string;
      days: string[];
      totals: ActionCounts;
      purposes: PurposeStats[];
    };
  }
}

export const STATS_MAX_DAYS = 366;
export const STATS_DEFAULT_DAYS = 30;

/**
 * `POST /consent/ledger/replay` (`records.read`): every event replayed through the state rules and the
 * result compared with `consent_states` (docs/ledger.md). `checked` counts keys (person × purpose ×
 * channel); `mismatches` holds the first 100, `null` on the side that has no state for the key.
 */
export declare namespace ReplayLedger {
  export interface State {
    state: ConsentState;
    legalBasis: LegalBasis;
    noticeId: number | null;
    noticeVersion: number | null;
    lastEventSeq: number;
    changedAt: string;
    grantedAt: string | null;
    expiresAt: string | null;
  }
  export interface Mismatch {
    subject: string;
    purpose: string;
    channel: string;
    /** The fields that differ (`state` alone when one side has no state). */
    fields: string[];
    expected: State | null;
    actual: State | null;
  }
  export interface Response {
    data: { ok: boolean; checked: number; mismatches: Mismatch[] };
  }
}

/**
 * `POST /consent/ledger/verify` (`records.read`): the hash chain recomputed from the newest signed checkpoint,
 * or with `?full=true` from the first event, every checkpoint checked against the chain.
 */
export declare namespace VerifyLedger {
  export interface Query {
    /** `true`: from the first event. Otherwise from the newest checkpoint whose seal verifies. */
    full?: 'true' | 'false';
  }
  /** A signed statement that the chain verified from its first event up to `seq` (docs/ledger.md). */
  export interface Checkpoint {
    id: number;
    seq: number;
    eventId: string;
    /** The chain's hash at `seq`. */
    hash: string;
    /** Events from the first up to `seq`. */
    count: number;
    createdAt: string;
  }
  export interface Response {
    data: {
      /** The chain and every checkpoint looked at are intact. */
      ok: boolean;
      /** Events checked: all of them (full), or those after `from`. */
      checked: number;
      /** Of those checked, the events pruned at the end of their proof period (I5): checked by their seal. */
      pruned: number;
      firstBadEvent: null | { seq: number; eventId: string | null; problem: string };
      /** From the first event, every checkpoint checked too. */
      full: boolean;
      /** The checkpoint the verification started from; null from the first event. */
      from: Checkpoint | null;
      /** The checkpoint this verification recorded (null when it failed or nothing was new). */
      checkpoint: Checkpoint | null;
      /** Checkpoints whose seal does not verify or that do not match the chain: never started from. */
      badCheckpoints: Array<{ id: number; seq: number; problem: string }>;
    };
  }
}
