import type { Channel, ConsentState, Jurisdiction, LegalBasis } from './domain';

/** The answer to "may I contact this person for this purpose on this channel?" (spec 4.2). */
export interface Eligibility {
  eligible: boolean;
  state: ConsentState;
  basis: LegalBasis;
  /**
   * Stable codes, every one that applies: `purpose-archived`, `channel-not-covered`; the consent state
   * (`no-consent`, `refused`, `pending-confirmation`, `withdrawn`, `objected`, `expired`, `revoked`,
   * `re-consent-required`; for children `parental-consent-pending`, `own-confirmation-required`,
   * `child-marketing-off`); the law of the channel, audience and jurisdiction (`jurisdiction-rule`,
   * `soft-opt-in-incomplete`); the suppression list (`opposition-list`, `suppressed`). docs/eligibility.md.
   */
  reasons: string[];
}

/** Who is asked about: exactly one of these. */
export type SubjectRef = { email: string } | { phone: string } | { subject: string };

export declare namespace CheckEligibility {
  export interface Request {
    /** `jurisdiction` overrides the person's and the site's for this check. */
    query: { purpose: string; channel?: Channel; jurisdiction?: Jurisdiction } & Partial<
      Record<'email' | 'phone' | 'subject', string>
    >;
  }
  export interface Response {
    data: Eligibility;
  }
}

/** `POST /eligibility` with one person in the body: the GET's question without identifiers in the URL. */
export declare namespace CheckEligibilityOne {
  export interface Request {
    body: { purpose: string; channel?: Channel; jurisdiction?: Jurisdiction } & SubjectRef;
  }
  export interface Response {
    data: Eligibility;
  }
}

export declare namespace CheckEligibilityBulk {
  export interface Request {
    /** `jurisdiction` overrides the people's and the site's for every subject of the call. */
    body: { purpose: string; channel?: Channel; jurisdiction?: Jurisdiction; subjects: SubjectRef[] };
  }
  export interface Response {
    /** In the order asked; each item echoes the reference it answers. */
    data: (Eligibility & { ref: SubjectRef })[];
  }
}

export const BULK_ELIGIBILITY_MAX = 10_000;
