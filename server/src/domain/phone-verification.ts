import type { Channel, ConsentState } from '../../../shared/contracts/domain';
import { PHONE_VERIFIED_CHANNELS } from './capture-rules';

/**
 * What a verified phone number confirms (B5, N16, C8): every consent of the person on a phone-verified
 * channel (phone, SMS) that is still `pending`. Nothing else: a verification never grants a purpose the
 * person did not tick, never lifts a refusal, withdrawal or objection, and never confirms email (that is
 * the address's own double opt-in, B1).
 */
export const confirmedByPhoneVerification = <S extends { purpose: string; channel: Channel; state: ConsentState }>(
  states: readonly S[]
): S[] => states.filter((s) => s.state === 'pending' && PHONE_VERIFIED_CHANNELS.includes(s.channel));
