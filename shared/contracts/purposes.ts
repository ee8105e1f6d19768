import type { Audience, Channel, LegalBasis, Sector } from './domain';

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
  /**
   * The purpose's messages sell (direct marketing): always true for consent and legitimate interest, never
   * for legal obligation, the editor's choice for contract (in-contract sales calls). Frozen once used.
   */
  directMarketing?: boolean;
  /** Legitimate interest: the reference of the balancing test (Art. 6(1)(f), C3); needed to publish a notice. */
  balancingTest?: string | null;
  /** A sector with a rule of its own, e.g. `energy-renovation` (never canvassed by phone in France). */
  sector?: Sector | null;
  minimumAge?: number | null;
  lifetimeDays?: number | null;
  defaultLocale?: string;
  active?: boolean;
}

export interface Purpose extends Required<
  Omit<PurposeInput, 'minimumAge' | 'lifetimeDays' | 'balancingTest' | 'sector'>
> {
  balancingTest: string | null;
  sector: Sector | null;
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
