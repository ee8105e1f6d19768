import type { NoticeStatus } from './domain';

/** The pieces of information A7 requires before a notice can be published. */
export const A7_ELEMENTS = [
  'controller',
  'purpose',
  'dataCategories',
  'rightToWithdraw',
  'recipients',
  'privacyPolicyUrl',
  // Not A7 itself: the balancing-test reference a legitimate-interest purpose needs before its notice is published (C3).
  'balancingTest',
] as const;
export type A7Element = (typeof A7_ELEMENTS)[number];

export interface NoticeInput {
  purpose: string;
  locale: string;
  title: string;
  body: string;
  /** Kinds of personal data processed for the purpose, e.g. "email address". */
  dataCategories: string[];
  /** Named recipients or partners; `[]` states that there are none. */
  recipients: string[];
  /** null (or '') in a draft that has no link yet; publishing waits for it (A7). */
  privacyPolicyUrl: string | null;
  /**
   * The sentence on withdrawing (consent) or objecting (legitimate interest). Leave empty to use the
   * plugin's standard sentence for the locale (en, de, fr).
   */
  withdrawalText?: string;
  /** A material change: consents given under earlier versions need to be given again (A11). */
  material?: boolean;
}

export interface Notice extends Required<NoticeInput> {
  id: number;
  version: number;
  status: NoticeStatus;
  /** SHA-256 of the canonical form (docs/notices.md); null while a draft. */
  hash: string | null;
  effectiveAt: string | null;
  retiredAt: string | null;
  /** The withdrawal or objection sentence shown with the text (the editor's, or the standard one). */
  withdrawal: string | null;
  /** A7 elements still missing; publishing is refused until this is empty. */
  missing: A7Element[];
  createdAt: string;
  updatedAt: string;
}

export declare namespace ListNotices {
  export interface Request {
    query: { purpose?: string; locale?: string };
  }
  export interface Response {
    data: Notice[];
  }
}
export declare namespace GetNotice {
  export interface Response {
    data: Notice;
  }
}
export declare namespace CreateNotice {
  export interface Request {
    body: NoticeInput;
  }
  export interface Response {
    data: Notice;
  }
}
export declare namespace PublishNotice {
  export interface Response {
    data: Notice & { reconsentMarked: number };
  }
}
export declare namespace GetNoticeChecklist {
  /** What the A7 checklist needs besides the notice's own fields (the admin runs the same rule live). */
  export interface Response {
    data: { controller: { name: string; address: string; contact: string } };
  }
}
