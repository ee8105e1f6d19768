import type { Channel, ConsentState, Jurisdiction, LegalBasis } from './domain';

/**
 * Audiences (spec 4.2): `GET /api/consent/audiences/:purpose?channel=&format=&jurisdiction=` streams every
 * person eligible now for a purpose on a channel, one per line.
 */
export const AUDIENCE_FORMATS = ['ndjson', 'csv'] as const;
export type AudienceFormat = (typeof AUDIENCE_FORMATS)[number];

export const AUDIENCE_CONTENT_TYPES: Record<AudienceFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** One line of an audience. Identifiers the person has none of are left out (NDJSON) or empty (CSV). */
export interface AudienceMember {
  /** The pseudonym (a receipt's `piiPrincipalId`). */
  subject: string;
  email?: string;
  phone?: string;
  externalId?: string;
  state: ConsentState;
  basis: LegalBasis;
}

/** The CSV header row, in this order. */
export const AUDIENCE_CSV_COLUMNS = ['subject', 'email', 'phone', 'externalId', 'state', 'basis'] as const;

export declare namespace StreamAudience {
  export interface Request {
    params: { purpose: string };
    /** `channel` is required when the purpose has several; `format` defaults to `ndjson`. */
    query: { channel?: Channel; format?: AudienceFormat; jurisdiction?: Jurisdiction };
  }
  /** NDJSON: one `AudienceMember` per line; CSV: a header row, then one member per row (RFC 4180). */
  export type Response = string;
}
