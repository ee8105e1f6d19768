import type { Audience, Channel, ConsentState, Jurisdiction, LegalBasis } from './domain';

/**
 * `POST /api/consent/submissions` (spec 4.1). A front end sends, for every purpose it displayed, the
 * notice version and hash it showed, and `true` in `choices` for each box the person ticked.
 */
export declare namespace CreateSubmission {
  export interface Request {
    body: {
      form: string;
      locale?: string;
      subject: {
        email?: string;
        phone?: string;
        externalId?: string;
        audience?: Exclude<Audience, 'any'>;
        jurisdiction?: Jurisdiction;
      };
      /**
       * Purpose key → `true` when ticked. In JSON only booleans; `false` or absent is not ticked. A purpose
       * the form offers box by box (`boxes`) may be answered per channel: `{ "<channel>": boolean }`.
       */
      choices?: Record<string, boolean | Partial<Record<Channel, boolean>>>;
      /** Purpose key → the notice the person was shown. */
      notices?: Record<string, { version: number; hash: string }>;
      context?: { url?: string };
      /**
       * A form offered to children (`ageQuestion` in its definition) needs one of these (G1): the
       * person's age in completed years, or their birth year. Neither is stored: only whether the person
       * is below the threshold and the day that ends.
       */
      age?: number;
      birthYear?: number;
      /** Below the threshold, the address of a holder of parental responsibility, who confirms (G2, G4). */
      parentEmail?: string;
      /** The rest of the form, handed to `consent.submission` listeners; never stored by the plugin. */
      fields?: Record<string, unknown>;
    };
  }
  export interface Response {
    data: {
      receipt: Receipt & { jws: string };
      states: Record<string, ConsentState>;
      /** A child below the threshold ticked a consent: a mail went (or not) to the parent's address (G2). */
      parentalConsent?: { mailSent: boolean };
    };
  }
}

/** What happened to one purpose in a submission: its new state, or `unchanged`. */
export type ReceiptDecision = ConsentState | 'unchanged';

/**
 * A consent receipt: the fields of ISO/IEC TS 27560 (via the W3C DPVCG mapping) and Kantara Consent
 * Receipt 1.1 that apply to a web form (docs/receipts.md). The `jws` beside it signs exactly this object.
 */
export interface Receipt {
  /** Kantara `version`. */
  version: 'KI-CR-v1.1.0';
  /** ISO/IEC TS 27560 schema version, with this plugin's profile. */
  schemaVersion: string;
  receiptId: string;
  /** JWT claims, so generic JWS/JWT tools show who issued it and when. */
  iss: string;
  sub: string;
  iat: number;
  jti: string;
  consentTimestamp: number;
  issuedAt: string;
  jurisdiction: Jurisdiction;
  language: string;
  piiPrincipalId: string;
  piiControllers: { piiController: string; address: string; contact: string; piiControllerUrl?: string }[];
  policyUrl: string | null;
  collectionMethod: 'web-form' | 'web-form-hook';
  collectionPoint: { form: string; pageUrl: string | null };
  withdrawalMethod: string;
  purposes: {
    purpose: string;
    name: string;
    legalBasis: LegalBasis;
    consentType: 'expressed' | 'opt-out' | 'none';
    channels: Channel[];
    decision: ReceiptDecision;
    state: ConsentState;
    method: 'checkbox' | 'signal:GPC' | null;
    notice: { id: number; version: number; hash: string; locale: string } | null;
    piiCategory: string[];
    thirdPartyDisclosure: boolean;
    thirdPartyName: string[];
    termination: string | null;
  }[];
  events: string[];
}
