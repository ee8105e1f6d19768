import type { LegalBasis, SuppressionReason } from '../../../shared/contracts/domain';
import { isDirectMarketing } from './direct-marketing';

interface OptOutPurpose {
  legalBasis: LegalBasis;
  directMarketing?: boolean | null;
}

/**
 * What an opt-out records on one purpose (one-click, preference centre, withdrawal by identifier, an
 * objection entered by an admin): consent is withdrawn (Art. 7(3)); every other direct-marketing purpose,
 * legitimate interest or a contract purpose that sells, is objected to (Art. 21(2)–(3), C4, C5); service
 * messages and legal obligations give no choice to take back.
 */
export const optOutAction = (purpose: OptOutPurpose): 'withdrawn' | 'objected' | null =>
  purpose.legalBasis === 'consent'
    ? 'withdrawn'
    : isDirectMarketing(purpose.legalBasis, purpose.directMarketing)
      ? 'objected'
      : null;

/**
 * The reason of the suppression entry a "leave everything" records: an objection when it objected to
 * anything (it then also holds against the person's later grants made by others, C4), else an unsubscribe.
 */
export const everythingSuppressionReason = (
  purposes: readonly OptOutPurpose[]
): Extract<SuppressionReason, 'objection' | 'unsubscribe'> =>
  purposes.some((p) => optOutAction(p) === 'objected') ? 'objection' : 'unsubscribe';
