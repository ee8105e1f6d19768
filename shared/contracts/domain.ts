/**
 * The closed vocabularies of spec section 3, shared by the server (schemas, validation) and the admin
 * (labels, filters). States follow the W3C DPV consent vocabulary mapped to short names.
 */
export const LEGAL_BASES = ['consent', 'legitimate-interest', 'contract', 'legal-obligation'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** `automated-call`: calling machines without a human caller (ePrivacy Art. 13(1)); `fax`: telefax. */
export const CHANNELS = ['email', 'sms', 'phone', 'postal', 'push', 'web', 'automated-call', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];

export const AUDIENCES = ['consumer', 'professional', 'any'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const ACTIONS = [
  'requested',
  'granted',
  'refused',
  'confirmed',
  'withdrawn',
  'objected',
  'expired',
  'revoked',
  // A use of the consent: the site reports that it contacted the person (C8). Changes no state.
  'contacted',
  // The person was shown the notice of an opt-out purpose, with their right to object (C3, Art. 21(4)).
  // Changes no state.
  'informed',
] as const;
export type ConsentAction = (typeof ACTIONS)[number];

export const STATES = ['none', 'pending', 'granted', 'refused', 'withdrawn', 'objected', 'expired', 'revoked'] as const;
export type ConsentState = (typeof STATES)[number];

export const METHODS = [
  'form',
  'double-opt-in',
  'one-click',
  'link',
  'preference-center',
  'signal',
  'api',
  'import',
  'admin',
] as const;
export type ConsentMethod = (typeof METHODS)[number];

export const NOTICE_STATUSES = ['draft', 'published', 'retired'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export const SUPPRESSION_REASONS = ['unsubscribe', 'objection', 'erasure', 'opposition-list', 'bounce'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** A suppression applies to one channel or to every channel. */
export const SUPPRESSION_CHANNELS = [...CHANNELS, 'all'] as const;
export type SuppressionChannel = (typeof SUPPRESSION_CHANNELS)[number];

export const IDENTIFIER_TYPES = ['email', 'phone', 'externalId'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export const JURISDICTIONS = ['eu', 'fr', 'de'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

/** Sectors with a rule of their own (the French ban on canvassing for energy-renovation works, Law 2020-901). */
export const SECTORS = ['energy-renovation'] as const;
export type Sector = (typeof SECTORS)[number];

export const IP_STORAGE = ['none', 'truncated', 'full'] as const;
export type IpStorage = (typeof IP_STORAGE)[number];

/**
 * The mechanism is derived from the legal basis and never set by hand (spec 3, purpose). A contract purpose
 * flagged as direct marketing (in-contract sales calls) can be objected to like legitimate interest
 * (Art. 21(2)); which purposes are direct marketing is decided in server/src/domain/direct-marketing.ts.
 */
export const mechanismOf = (basis: LegalBasis, directMarketing = false): 'opt-in' | 'opt-out' | 'none' =>
  basis === 'consent'
    ? 'opt-in'
    : basis === 'legitimate-interest' || (basis === 'contract' && directMarketing)
      ? 'opt-out'
      : 'none';
