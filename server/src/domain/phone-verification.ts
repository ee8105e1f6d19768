import type { Audience, Channel, ConsentState, Jurisdiction } from '../../../shared/contracts/domain';

/** Channels a German consumer's consent waits on until the number is verified (C8, N16). */
export const PHONE_VERIFIED_CHANNELS: readonly Channel[] = ['phone', 'sms'];

/**
 * Does a phone/SMS grant wait for the number to be verified (B5, N16, §7a UWG)? A consumer (unknown counts
 * as one, C2) whose recorded jurisdiction is `de`: an email confirmation or a claim never proves a number.
 */
export const phoneVerificationApplies = (
  channel: Channel,
  jurisdiction?: Jurisdiction | null,
  audience?: Audience | null
): boolean => jurisdiction === 'de' && audience !== 'professional' && PHONE_VERIFIED_CHANNELS.includes(channel);

export interface PhoneGrant {
  channel: Channel;
  /** The person's recorded jurisdiction and audience (C2), not what a check or a page asks for. */
  jurisdiction?: Jurisdiction | null;
  audience?: Audience | null;
  /** The person's current state on this purpose and channel, if any. */
  current?: { state: ConsentState; reconsentRequired?: boolean | null } | null;
  /** The grant comes with evidence that the number was verified (an import's `phoneVerification`). */
  verified?: boolean;
}

/**
 * Is this grant recorded `pending` (action `requested`) rather than `granted`? The one rule for every path
 * that grants: a form, the preference centre and an import (B5, N16). It waits where verification applies,
 * unless the grant carries its own verification, or the person's consent on this channel is already
 * given and current: asking again never un-confirms a verified (or pre-existing) grant.
 */
export const grantWaitsForPhoneVerification = (grant: PhoneGrant): boolean =>
  phoneVerificationApplies(grant.channel, grant.jurisdiction, grant.audience) &&
  !grant.verified &&
  !(grant.current?.state === 'granted' && !grant.current.reconsentRequired);

/**
 * What a verified phone number confirms (B5, N16, C8): every consent of the person on a phone-verified
 * channel (phone, SMS) that is still `pending`. Nothing else: a verification never grants a purpose the
 * person did not tick, never lifts a refusal, withdrawal or objection, and never confirms email (that is
 * the address's own double opt-in, B1).
 */
export const confirmedByPhoneVerification = <S extends { purpose: string; channel: Channel; state: ConsentState }>(
  states: readonly S[]
): S[] => states.filter((s) => s.state === 'pending' && PHONE_VERIFIED_CHANNELS.includes(s.channel));
