import type { Channel, ConsentState, LegalBasis } from './domain';

/** The answer to "may I contact this person for this purpose on this channel?" (spec 4.2). */
export interface Eligibility {
  eligible: boolean;
  state: ConsentState;
  basis: LegalBasis;
  /** Stable codes: `no-consent`, `refused`, `pending-confirmation`, `withdrawn`, `objected`, `expired`, … */
  reasons: string[];
}

/** Who is asked about: exactly one of these. */
export type SubjectRef = { email: string } | { phone: string } | { subject: string };

export declare namespace CheckEligibility {
  export interface Request {
    query: { purpose: string; channel?: Channel } & Partial<Record<'email' | 'phone' | 'subject', string>>;
  }
  export interface Response {
    data: Eligibility;
  }
}

export declare namespace CheckEligibilityBulk {
  export interface Request {
    body: { purpose: string; channel?: Channel; subjects: SubjectRef[] };
  }
  export interface Response {
    /** In the order asked; each item echoes the reference it answers. */
    data: (Eligibility & { ref: SubjectRef })[];
  }
}

export const BULK_ELIGIBILITY_MAX = 10_000;
