import type { Audience, Jurisdiction } from './domain';

/**
 * `POST /api/consent/relationships` (server-to-server): evidence of a contract with a person, which every
 * contract-basis purpose needs (C7). Sending the same `reference` again for the same person updates it
 * (e.g. sets `endedAt` when the contract ends).
 */
export declare namespace UpsertRelationship {
  export interface Request {
    body: {
      /** `audience` and `jurisdiction`, when given, are recorded on the person (C2). */
      subject: {
        email?: string;
        phone?: string;
        externalId?: string;
        audience?: Exclude<Audience, 'any'>;
        jurisdiction?: Jurisdiction;
      };
      /** The contract's own reference in the site's systems (order, subscription or customer number). */
      reference: string;
      /** ISO 8601 with a time zone. */
      startedAt: string;
      /** ISO 8601 with a time zone; null or absent while the contract runs. */
      endedAt?: string | null;
    };
  }
  export interface Response {
    /** One relationship for a single body; the list, in order, for `{ relationships: [...] }`. */
    data: Relationship | Relationship[];
  }
}

export interface Relationship {
  /** The person's pseudonym. */
  subject: string;
  reference: string;
  startedAt: string;
  endedAt: string | null;
  /** Started and not ended at the time of the answer. */
  current: boolean;
}
