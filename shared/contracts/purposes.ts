import type { Audience, Channel, LegalBasis } from './domain';

export interface PurposeTranslation {
  name: string;
  description?: string;
}

/** What an editor sends to create or change a purpose (spec 4.3). */
export interface PurposeInput {
  key: string;
  name: string;
  description?: string;
  translations?: Record<string, PurposeTranslation>;
  legalBasis: LegalBasis;
  channels: Channel[];
  audience?: Audience;
  doubleOptIn?: boolean;
  softOptIn?: boolean;
  honorGpc?: boolean;
  minimumAge?: number | null;
  lifetimeDays?: number | null;
  defaultLocale?: string;
  active?: boolean;
}

export interface Purpose extends Required<Omit<PurposeInput, 'minimumAge' | 'lifetimeDays'>> {
  minimumAge: number | null;
  lifetimeDays: number | null;
  /** Derived from the legal basis, never set by hand. */
  mechanism: 'opt-in' | 'opt-out' | 'none';
  /** True once any ledger event refers to the purpose: its key and legal basis are then frozen. */
  used: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export declare namespace ListPurposes {
  export interface Response {
    data: Purpose[];
  }
}
export declare namespace GetPurpose {
  export interface Response {
    data: Purpose;
  }
}
export declare namespace CreatePurpose {
  export interface Request {
    body: PurposeInput;
  }
  export interface Response {
    data: Purpose;
  }
}
export declare namespace UpdatePurpose {
  export interface Request {
    body: Partial<PurposeInput>;
  }
  export interface Response {
    data: Purpose;
  }
}
