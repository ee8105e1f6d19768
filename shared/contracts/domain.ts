/**
 * The closed vocabularies of spec section 3, shared by the server (schemas, validation) and the admin
 * (labels, filters). States follow the W3C DPV consent vocabulary mapped to short names.
 */
export const LEGAL_BASES = ['consent', 'legitimate-interest', 'contract', 'legal-obligation'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const CHANNELS = ['email', 'sms', 'phone', 'postal', 'push', 'web'] as const;
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

export const IP_STORAGE = ['none', 'truncated', 'full'] as const;
export type IpStorage = (typeof IP_STORAGE)[number];

/** The mechanism is derived from the legal basis and never set by hand (spec 3, purpose). */
export const mechanismOf = (basis: LegalBasis): 'opt-in' | 'opt-out' | 'none' =>
  basis === 'consent' ? 'opt-in' : basis === 'legitimate-interest' ? 'opt-out' : 'none';
