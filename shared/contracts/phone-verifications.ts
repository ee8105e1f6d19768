import type { Channel } from './domain';

export const PHONE_VERIFICATION_METHODS = ['sms-code', 'call', 'other'] as const;
export type PhoneVerificationMethod = (typeof PHONE_VERIFICATION_METHODS)[number];

/**
 * `POST /api/consent/phone-verifications` (server-to-server, API token): the site reports that a person
 * proved the number is theirs (a code sent by SMS and typed back, a call answered…). Every phone/SMS
 * consent of theirs still pending verification (Germany, consumers: C8, N16) is confirmed on the ledger.
 */
export declare namespace CreatePhoneVerification {
  export interface Request {
    body: {
      subject: { phone: string };
      method: PhoneVerificationMethod;
      /** The site's reference for the verification (its code-check id, call id…), kept as proof. */
      reference: string;
      /** When the number was verified (ISO 8601 with a time zone); default now. Kept in the evidence. */
      occurredAt?: string;
    };
  }
  export interface Response {
    /** The consents confirmed by this verification (none: nothing was pending, or unknown number). */
    data: { confirmed: { purpose: string; channel: Channel }[] };
  }
}
