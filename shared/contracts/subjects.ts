import type {
  Channel,
  ConsentState,
  IdentifierType,
  Jurisdiction,
  LegalBasis,
  SuppressionChannel,
  SuppressionReason,
} from './domain';
import type { RecordedEvent } from './events';
import type { PhoneVerificationMethod } from './phone-verifications';
import type { SubjectRecord } from './records';
import type { Receipt } from './submissions';

/**
 * Data-subject rights (spec 4.2, 4.3; H1, H2, I1, I2) and imported consents (J2): what the server-to-server
 * and admin routes take and answer.
 */

/** Who a request is about: exactly one identifier, or the pseudonym (`piiPrincipalId` of a receipt). */
export type SubjectLookup = { email: string } | { phone: string } | { externalId: string } | { subject: string };

export interface ExportedEvent extends RecordedEvent {
  /** The text shown, when the event refers to one: its full text is under `notices` (by `id`). */
  notice: { id: number; version: number | null; hash: string | null; locale: string | null } | null;
}

export interface ExportedNotice {
  id: number;
  purpose: string;
  locale: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  title: string;
  body: string;
  /** The withdrawal or objection sentence shown with the text (the editor's, or the standard one). */
  withdrawal: string | null;
  dataCategories: string[];
  recipients: string[];
  privacyPolicyUrl: string | null;
  /** SHA-256 of the canonical text (docs/notices.md). */
  hash: string | null;
  effectiveAt: string | null;
  retiredAt: string | null;
}

/** Everything the plugin holds about one person (Art. 15 access, Art. 20 portability). */
export interface SubjectExport {
  /** The layout of this document; raised when a field changes meaning or disappears. */
  format: 'strapi-plugin-consent/subject-export@1';
  exportedAt: string;
  /** Who holds the data (Art. 15(1)). */
  controller: { name: string; address: string; contact: string };
  /** Once the person was erased (`erasedAt`), the identifiers and profile are null. */
  subject: SubjectRecord;
  /** The purposes the records refer to, with their consent lifetime (how long a grant counts). */
  purposes: { key: string; name: string; legalBasis: LegalBasis; channels: Channel[]; lifetimeDays: number | null }[];
  /** The current state per purpose and channel. */
  states: {
    purpose: string;
    channel: Channel;
    state: ConsentState;
    legalBasis: LegalBasis;
    noticeId: number | null;
    noticeVersion: number | null;
    changedAt: string;
    grantedAt: string | null;
    expiresAt: string | null;
    reconsentRequired: boolean;
  }[];
  /** Every ledger event about the person, in ledger order (`seq`). */
  events: ExportedEvent[];
  /** Each distinct notice version the events, states, receipts or confirmation requests refer to. */
  notices: ExportedNotice[];
  /** Every receipt issued to the person, as signed (`jws`, EdDSA, keys at /api/consent/jwks.json). */
  receipts: { receiptId: string; formKey: string | null; issuedAt: string; receipt: Receipt; jws: string }[];
  /** Double opt-in requests still on file (deleted once expired, or by erasure). */
  confirmations: {
    /** SHA-256 of the link's token; the token itself is never stored. */
    tokenHash: string;
    receiptId: string | null;
    formKey: string | null;
    purposes: {
      purpose: string;
      noticeId: number | null;
      noticeVersion: number | null;
      noticeHash: string | null;
      noticeLanguage: string | null;
    }[];
    language: string | null;
    requestedAt: string;
    mailSentAt: string | null;
    confirmedAt: string | null;
    expiresAt: string;
  }[];
  /** Do-not-contact entries for the person's identifiers (keyed hashes), opposition lists included. */
  suppressions: {
    identifierType: IdentifierType;
    identifierHash: string;
    channel: SuppressionChannel;
    reason: SuppressionReason;
    source: string;
    note: string | null;
    createdAt: string | null;
  }[];
}

export declare namespace ExportSubject {
  export interface Request {
    /** Server-to-server: exactly one of these. The admin route takes the pseudonym in the path. */
    query: Partial<Record<IdentifierType | 'subject', string>>;
  }
  export interface Response {
    data: SubjectExport;
  }
}

/** The answer to an erasure, the same however often it is asked. */
export interface ErasureResult {
  status: 'erased';
  erasedAt: string;
}

export declare namespace EraseSubject {
  export interface Request {
    /** Server-to-server: exactly one of these. The admin route takes the pseudonym in the path. */
    body: SubjectLookup;
  }
  export interface Response {
    data: ErasureResult;
  }
}

// ── Imported consents (J2) ─────────────────────────────────────────────────────────────────────────────

export const IMPORT_MAX_EVENTS = 1000;
export const IMPORT_ACTIONS = ['granted', 'refused', 'withdrawn', 'objected'] as const;
export const IMPORT_METHODS = ['import', 'api'] as const;
export const IMPORT_SOURCE_TYPES = ['first-party', 'third-party'] as const;

/** The proof a grant needs to count (J2); each is named in `missing` when absent. */
export const IMPORT_PROOF_ELEMENTS = ['formVersion', 'timestamp', 'recipients', 'uiEvidence'] as const;
export type ImportProofElement = (typeof IMPORT_PROOF_ELEMENTS)[number];

export interface ImportProof {
  /** The version of the form the person filled in (or `screenshot`, a reference to a capture of it). */
  formVersion?: string;
  screenshot?: string;
  /** When this person gave their answer (ISO 8601), their own time, not the batch's. */
  timestamp?: string;
  /** The recipients named to the person; must include this site's controller (`controller.name`). */
  recipients?: string[];
  /** Evidence the interface was not misleading (a reference, a URL, a description). */
  uiEvidence?: string;
  /** The plugin's own notice the person was shown, if they were shown one of ours. */
  noticeId?: number;
  noticeVersion?: number;
  noticeHash?: string;
  /** Existing-customer evidence (C1), stored as the event's `evidence.softOptIn`. */
  softOptIn?: { sale?: string | boolean; similarProducts?: boolean; objectionOffered?: boolean };
}

export interface ImportEvent {
  /** `audience` and `jurisdiction`, when given, are recorded on the person (C2). */
  subject: {
    email?: string;
    phone?: string;
    externalId?: string;
    audience?: 'consumer' | 'professional';
    jurisdiction?: Jurisdiction;
  };
  purpose: string;
  channel: Channel;
  action: (typeof IMPORT_ACTIONS)[number];
  /** ISO 8601 with a time zone, not in the future: kept as the event's `occurredAt`. */
  occurredAt: string;
  method: (typeof IMPORT_METHODS)[number];
  proof?: ImportProof;
  /**
   * Evidence that the person's number was verified before this call (a code typed back, a call
   * answered), for a phone/SMS grant. Without it, a German consumer's phone/SMS grant is recorded
   * `pending` until `POST /api/consent/phone-verifications` (B5, N16); with it, `granted`, the
   * verification kept as the event's `evidence.verification`.
   */
  phoneVerification?: { method: PhoneVerificationMethod; reference: string; verifiedAt: string };
}

/** What became of one imported event, in the order sent. */
export interface ImportOutcome {
  index: number;
  /** The person's pseudonym. */
  subject: string;
  /**
   * `recorded`; `unproven`: a grant recorded and revoked at once for missing proof (J2); `skipped`: not
   * recorded, see `reason`.
   */
  status: 'recorded' | 'unproven' | 'skipped';
  /** The state for this purpose and channel after the call. */
  state: ConsentState;
  eventId?: string;
  missing?: ImportProofElement[];
  /**
   * Why a `skipped` event was not recorded: `older-than-ledger`, `refusal-does-not-withdraw`, or
   * `objection-stands` (a grant where the person objected: an import never undoes an objection, C4).
   */
  reason?: 'older-than-ledger' | 'refusal-does-not-withdraw' | 'objection-stands';
  /**
   * Notes on a recorded event. `suppression-not-lifted`: the person is on the suppression list for this
   * channel (their unsubscribe, objection or erasure, or an opposition list or bounce); an imported grant
   * never lifts an entry, only the person's own later opt-in through the plugin does (C4, J2, N7).
   * `phone-verification-pending`: a German consumer's phone/SMS grant without `phoneVerification`,
   * recorded `pending` until the site reports the number verified (B5, N16).
   */
  warnings?: ImportWarning[];
}

export const IMPORT_WARNINGS = ['suppression-not-lifted', 'phone-verification-pending'] as const;
export type ImportWarning = (typeof IMPORT_WARNINGS)[number];

/** A client reference: the same source and reference again is a retry, answered without writing (idempotent). */
export const IMPORT_REFERENCE_MAX = 128;

export declare namespace ImportEvents {
  export interface Request {
    body: {
      source: { type: (typeof IMPORT_SOURCE_TYPES)[number]; name: string };
      /** Optional client reference of the batch: a retry with the same source and reference writes nothing twice. */
      reference?: string;
      events: ImportEvent[];
    };
  }
  export interface Response {
    data: { recorded: number; unproven: number; skipped: number; events: ImportOutcome[] };
  }
}
