import type {
  Audience,
  Channel,
  ConsentState,
  Jurisdiction,
  LegalBasis,
  Sector,
  SuppressionReason,
} from '../../../shared/contracts/domain';
import {
  CONTACT_REASONS,
  contactAudience,
  findContactRule,
  legalDate,
  missingSoftOptInElements,
  sectorBan,
  suppressionReasons,
  type ContactReason,
  type SoftOptInEvidence,
} from './contact-rules';
import { standingSuppressions } from './suppression-rules';
import {
  belowThreshold,
  childMarketingBlocked,
  childsOwnGrant,
  needsOwnConfirmation,
  type ChildStatus,
} from './children-rules';
import { isDirectMarketing } from './direct-marketing';

/**
 * "May I contact this person for this purpose on this channel?" (spec 4.2). The reason codes are stable:
 * integrations branch on them. Two layers:
 *
 * 1. The consent state (this module):
 *
 * | legal basis          | eligible when                                          |
 * | -------------------- | ------------------------------------------------------ |
 * | consent              | state `granted`, not expired, no re-consent required   |
 * | legitimate interest  | no objection (`objected`) on record                    |
 * | contract             | a current contract on record, no objection; if it      |
 * |                      | sells, consent where the channel's law asks for it     |
 * | legal obligation     | no objection (`objected`) on record                    |
 *
 * An objection is absolute (Art. 21(2)–(3), C4): whatever the basis, `objected` refuses contact. A consent
 * purpose never falls back to legitimate interest once consent is withdrawn (D9): the basis is the
 * purpose's, fixed once used.
 *
 * 2. The law of the channel, audience and jurisdiction (contact-rules.ts, the table a lawyer reviews) and
 * the suppression lists, on top.
 *
 * Every reason that applies is given, in this order: purpose, channel, consent state, law, suppression.
 */
export const REASONS = [
  /** The person never consented (or nobody is on record under this identifier). */
  'no-consent',
  /** The person was shown the choice and did not tick it. */
  'refused',
  /** Double opt-in: the confirmation link was not used yet (B1). */
  'pending-confirmation',
  /** The person withdrew their consent (Art. 7(3)). */
  'withdrawn',
  /** The person objected (Art. 21): refuses contact on every basis. */
  'objected',
  /** The grant is older than the purpose's consent lifetime. */
  'expired',
  /** The controller revoked the consent (e.g. proof found lacking). */
  'revoked',
  /** An imported grant lacked the proof J2 asks for (form, per-person time, named recipients, UI): revoked at once. */
  'unproven-import',
  /** The notice changed materially since the grant (A11). */
  're-consent-required',
  /**
   * A child below the age of digital consent asked, or the consent on record is their own; a holder of
   * parental responsibility has not confirmed (G2).
   */
  'parental-consent-pending',
  /** A parent gave this consent and the person has since reached the age of digital consent: theirs to confirm (G5). */
  'own-confirmation-required',
  /** The person is below the age of digital consent: direct marketing is off (G6, `children.directMarketing`). */
  'child-marketing-off',
  /** The purpose does not cover the channel asked about. */
  'channel-not-covered',
  /** The purpose is archived. */
  'purpose-archived',
  // jurisdiction-rule, soft-opt-in-incomplete, opposition-list, suppressed: see contact-rules.ts.
  ...CONTACT_REASONS,
] as const;
export type Reason = (typeof REASONS)[number];

export interface EligibilityPurpose {
  legalBasis: LegalBasis;
  channels: Channel[];
  active: boolean;
  /** `professional` means the purpose's messages concern the recipient's profession (C2). */
  audience?: Audience;
  /** "Soft opt-in allowed": the purpose claims the existing-customer exception (C1). */
  softOptIn?: boolean;
  /** For a contract purpose: its messages sell (direct-marketing.ts). */
  directMarketing?: boolean | null;
  /** A sector with a rule of its own (contact-rules.ts, SECTOR_BANS). */
  sector?: Sector | null;
}

export interface EligibilityState {
  state: ConsentState;
  expiresAt: Date | null;
  reconsentRequired: boolean;
  /** When the current grant was given (or confirmed). */
  grantedAt?: Date | null;
  /** For a revoked state, why: `proof-incomplete` is an import without its proof (J2). */
  revokedFor?: string | null;
  /**
   * The grant that stands was a parent's confirmation (G4), read from the granting event: for a person
   * below the threshold only such a grant counts (G2); past it, such a grant needs their own (G5).
   */
  grantedByParent?: boolean;
}

/** What the check knows about the person beyond their consent state. */
export interface EligibilityContext {
  /** The person's jurisdiction, as recorded at collection (else the site's). */
  jurisdiction: Jurisdiction;
  /** A jurisdiction the check names: judged too, so that the answer is eligible only if both allow (C2). */
  askedJurisdiction?: Jurisdiction | null;
  /** The person's audience as recorded at collection (`any` or unknown: consumer, C2). */
  subjectAudience?: Audience | null;
  /** A contract with the person is current (a recorded relationship, started and not ended). */
  currentContract?: boolean;
  /** Suppression entries matching the person's identifiers on this channel (or on every channel). */
  suppressions?: readonly { reason: SuppressionReason; createdAt?: Date | null }[];
  /** The latest `evidence.softOptIn` on the person's ledger for this purpose and channel. */
  softOptIn?: SoftOptInEvidence | null;
  /** When the person's own act last granted the consent that stands (suppression-rules `ownGrantAt`). */
  ownGrantedAt?: Date | null;
  /** The age question's stored outcome (G1); null when the person was never asked. */
  child?: ChildStatus | null;
  /** `children.directMarketing`: the site owner allows direct marketing to people below the threshold (G6). */
  childMarketingAllowed?: boolean;
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
  now: Date,
  context: EligibilityContext
): Verdict => {
  const expired = stored?.state === 'granted' && !!stored.expiresAt && stored.expiresAt.getTime() <= now.getTime();
  const state: ConsentState = expired ? 'expired' : (stored?.state ?? 'none');
  const basis = purpose.legalBasis;
  const reasons: Reason[] = [];

  if (!purpose.active) reasons.push('purpose-archived');
  if (!purpose.channels.includes(channel)) reasons.push('channel-not-covered');

  if (state === 'objected') reasons.push('objected');
  else if (basis === 'consent') {
    if (state === 'revoked' && stored?.revokedFor === 'proof-incomplete') reasons.push('unproven-import');
    else if (state === 'pending' && belowThreshold(context.child, now)) reasons.push('parental-consent-pending');
    else if (state !== 'granted') reasons.push(CONSENT_REASONS[state] ?? 'no-consent');
    else if (childsOwnGrant(context.child, stored?.grantedByParent, now)) reasons.push('parental-consent-pending');
    else if (stored?.reconsentRequired) reasons.push('re-consent-required');
    else if (needsOwnConfirmation(context.child, stored?.grantedByParent, now))
      reasons.push('own-confirmation-required');
  }
  const directMarketing = isDirectMarketing(basis, purpose.directMarketing);
  if (childMarketingBlocked(context.child, directMarketing, !!context.childMarketingAllowed, now)) {
    reasons.push('child-marketing-off');
  }

  // The person's jurisdiction always applies; one the check names can only add its own refusals (C2).
  const currentContract = !!context.currentContract;
  const asked = context.askedJurisdiction;
  const jurisdictions =
    asked && asked !== context.jurisdiction ? [context.jurisdiction, asked] : [context.jurisdiction];
  const lawReasons: ContactReason[] = [];
  const add = (reason: ContactReason) => {
    if (!lawReasons.includes(reason)) lawReasons.push(reason);
  };
  for (const jurisdiction of jurisdictions) {
    const rule = findContactRule({
      jurisdiction,
      channel,
      audience: contactAudience(context.subjectAudience),
      basis,
      date: legalDate(now, jurisdiction),
      softOptInPurpose: !!purpose.softOptIn,
      aboutProfession: purpose.audience === 'professional',
      directMarketing,
    });
    if (rule.outcome === 'not-allowed') add(rule.reason ?? 'jurisdiction-rule');
    if (rule.outcome === 'soft-opt-in' && missingSoftOptInElements(context.softOptIn).length > 0) {
      add(rule.reason ?? 'soft-opt-in-incomplete');
    }
    // A contract purpose rests on a current contract (C7), also where the row refuses it for selling.
    if (basis === 'contract' && !currentContract) add('no-contract');
    if (purpose.sector && sectorBan({ jurisdiction, channel, sector: purpose.sector, basis, currentContract }))
      add('sector-ban');
  }
  // In the order of CONTACT_REASONS, so that answers are stable whichever jurisdiction refused first.
  if (lawReasons.length > 1) lawReasons.sort((a, b) => CONTACT_REASONS.indexOf(a) - CONTACT_REASONS.indexOf(b));
  reasons.push(...lawReasons);

  // The person's own later opt-in (suppression-rules.ts: form with the notice, confirmation, preference
  // centre; never an import) lifts their own entry for this consent purpose (C4, J2, N7; I1).
  const ownGrantedAt = state === 'granted' ? context.ownGrantedAt : null;
  const standing = standingSuppressions(context.suppressions ?? [], { basis, ownGrantedAt });
  reasons.push(...suppressionReasons(purpose, standing, currentContract));

  return { eligible: reasons.length === 0, state, basis, reasons };
};
