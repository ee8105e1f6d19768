import type { Channel, ConsentState, LegalBasis } from '../../../shared/contracts/domain';

/**
 * "May I contact this person for this purpose on this channel?" from the consent state alone (spec 4.2).
 * The reason codes are stable: integrations branch on them.
 *
 * | legal basis          | eligible when                                          |
 * | -------------------- | ------------------------------------------------------ |
 * | consent              | state `granted`, not expired, no re-consent required   |
 * | legitimate interest  | no objection (`objected`) on record                    |
 * | contract, obligation | always (no choice to respect)                          |
 *
 * A consent purpose never falls back to legitimate interest once consent is withdrawn (D9): the basis is
 * the purpose's, fixed once used. Suppression lists and jurisdiction rules (C1–C8) come on top of this.
 */
export const REASONS = [
  'no-consent',
  'refused',
  'pending-confirmation',
  'withdrawn',
  'objected',
  'expired',
  'revoked',
  're-consent-required',
  'channel-not-covered',
  'purpose-archived',
] as const;
export type Reason = (typeof REASONS)[number];

export interface EligibilityPurpose {
  legalBasis: LegalBasis;
  channels: Channel[];
  active: boolean;
}

export interface EligibilityState {
  state: ConsentState;
  expiresAt: Date | null;
  reconsentRequired: boolean;
}

export interface Verdict {
  eligible: boolean;
  /** The stored state, or `expired` once a grant's lifetime has passed (even before the expiry job ran). */
  state: ConsentState;
  basis: LegalBasis;
  reasons: Reason[];
}

const CONSENT_REASONS: Partial<Record<ConsentState, Reason>> = {
  none: 'no-consent',
  refused: 'refused',
  pending: 'pending-confirmation',
  withdrawn: 'withdrawn',
  objected: 'objected',
  expired: 'expired',
  revoked: 'revoked',
};

export const decideEligibility = (
  purpose: EligibilityPurpose,
  channel: Channel,
  stored: EligibilityState | null,
  now: Date
): Verdict => {
  const expired = stored?.state === 'granted' && !!stored.expiresAt && stored.expiresAt.getTime() <= now.getTime();
  const state: ConsentState = expired ? 'expired' : (stored?.state ?? 'none');
  const reasons: Reason[] = [];

  if (!purpose.active) reasons.push('purpose-archived');
  if (!purpose.channels.includes(channel)) reasons.push('channel-not-covered');

  if (purpose.legalBasis === 'consent') {
    if (state !== 'granted') reasons.push(CONSENT_REASONS[state] ?? 'no-consent');
    else if (stored?.reconsentRequired) reasons.push('re-consent-required');
  } else if (purpose.legalBasis === 'legitimate-interest') {
    if (state === 'objected') reasons.push('objected');
  }

  return { eligible: reasons.length === 0, state, basis: purpose.legalBasis, reasons };
};
