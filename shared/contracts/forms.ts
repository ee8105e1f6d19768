import type { Channel, Jurisdiction, LegalBasis } from './domain';

export interface FormInput {
  key: string;
  name: string;
  /** Purpose keys offered, in display order. Each is its own unticked box. */
  purposes: string[];
  doubleOptIn?: boolean;
  /** Who the form collects, recorded on each person who signs up (C2); null: the submission says, else consumer. */
  audience?: 'consumer' | 'professional' | null;
  /** Whose law the form serves, recorded on each person (C2); null: the site's jurisdiction. */
  jurisdiction?: Jurisdiction | null;
  /** Origins (scheme://host[:port]) allowed to post this form. */
  allowedOrigins?: string[];
  successUrl?: string | null;
  privacyPolicyUrl?: string | null;
  /** Offered directly to children (G1): the form asks for age before the choices. */
  offeredToChildren?: boolean;
  /** Whose age of digital consent applies (ISO 3166-1 alpha-2); null: the form's, else the site's, jurisdiction. */
  childrenCountry?: string | null;
  active?: boolean;
}

export interface Form extends Required<FormInput> {
  createdAt: string;
  updatedAt: string;
}

export declare namespace ListForms {
  export interface Response {
    data: Form[];
  }
}
export declare namespace GetForm {
  export interface Response {
    data: Form;
  }
}

/** `GET /api/consent/forms/:key?locale=`: what a front end needs to render the form. */
export interface PublicNotice {
  id: number;
  version: number;
  hash: string;
  locale: string;
  title: string;
  body: string;
  withdrawal: string;
  dataCategories: string[];
  recipients: string[];
  privacyPolicyUrl: string;
}

export interface PublicPurpose {
  key: string;
  name: string;
  description: string;
  legalBasis: LegalBasis;
  mechanism: 'opt-in' | 'opt-out' | 'none';
  channels: Channel[];
  /**
   * A purpose with a choice on more than one channel is offered one box per channel (A4, B5, N16), each
   * recorded on its own: answer it with `choices.<purpose>` = `{ "<channel>": boolean }`. Absent: one box.
   */
  boxes?: { channel: Channel; label: string }[];
  minimumAge: number | null;
  /** Always false: a consent box is never pre-ticked (A2). */
  defaultChecked: false;
  notice: PublicNotice;
  /** True when the notice is in the purpose's default locale because none exists in the one asked. */
  localeFallback: boolean;
}

export declare namespace GetPublicForm {
  export interface Request {
    params: { key: string };
    query: { locale?: string };
  }
  export interface Response {
    data: {
      key: string;
      name: string;
      /** The locale asked for (or the default); each purpose's notice says which locale was served. */
      locale: string;
      doubleOptIn: boolean;
      privacyPolicyUrl: string | null;
      controller: { name: string; address: string; contact: string };
      /**
       * Present on a form offered to children (G1): ask for `age` (or `birthYear`) before the choices;
       * below `threshold`, ask for `parentEmail` too, whose holder confirms the consent (G2).
       */
      ageQuestion?: { threshold: number; country: string | null };
      purposes: PublicPurpose[];
    };
  }
}

/**
 * Whether a purpose is offered in one language, and if not, why (server/src/domain/notice-offer.ts):
 * `unknown-purpose`, `archived`, `no-published-notice` (none in any language) or `no-notice-in-language`
 * (neither in this language nor in the purpose's default language).
 */
export type PurposeOffer =
  | { offered: true; noticeLanguage: string; fallback: boolean }
  | { offered: false; reason: 'unknown-purpose' | 'archived' | 'no-published-notice' | 'no-notice-in-language' };

export declare namespace PreviewForm {
  export interface Request {
    body: { form: Partial<FormInput>; locale?: string };
  }
  export interface Response {
    /** The public definition of the edited form, plus what the editor needs to know and visitors do not. */
    data: GetPublicForm.Response['data'] & {
      /** Per purpose of the form, per language (en, de, fr and every language it has notices in). */
      offers: Record<string, Record<string, PurposeOffer>>;
      /** The purposes' default languages, which a missing translation falls back to. */
      defaultLocales: Record<string, string>;
    };
  }
}
