import type {
  Channel,
  ConsentAction,
  ConsentMethod,
  ConsentState,
  LegalBasis,
  SuppressionReason,
} from '../../../shared/contracts/domain';

/**
 * What may lift a suppression entry (C4, J2, N7; I1 for erasure). A suppression entry blocks every
 * marketing purpose on its channel (or on every channel). Only the person's own later opt-in, recorded by
 * the plugin, may lift their own entry, and only for the consent purpose they opted in to:
 *
 * | entry reason                          | lifted by                                                       |
 * | ------------------------------------- | --------------------------------------------------------------- |
 * | `unsubscribe`, `objection`, `erasure` | a later grant of a consent purpose by the person themselves:    |
 * |                                       | `form` with the notice shown (on email: only where double       |
 * |                                       | opt-in does not apply), `double-opt-in` (the confirmation),     |
 * |                                       | `preference-center` with the notice shown                       |
 * | `opposition-list`, `bounce`           | nothing (not the person's entry to lift)                        |
 *
 * Imports (`import`, `api`), admin entries, signals and every other method never lift an entry: a partner,
 * a lead seller or a CRM saying "they agreed later" is not the person's own act (Art. 21(2)–(3): the
 * objection is absolute; CNIL *Solocal*: a supplier's claim is not proof). A legitimate-interest purpose
 * has no opt-in that could lift anything.
 */

/** The methods by which a person's own act is recorded by the plugin. */
export const LIFTING_METHODS = [
  'form',
  'double-opt-in',
  'preference-center',
] as const satisfies readonly ConsentMethod[];

/** Entries the person made themselves (or that erasure of their data made): their own later opt-in lifts them. */
export const LIFTABLE_REASONS = ['unsubscribe', 'objection', 'erasure'] as const satisfies readonly SuppressionReason[];

/** One ledger event of the person for the purpose and channel checked, as the rule reads it. */
export interface GrantEvidenceEvent {
  seq: number;
  action: ConsentAction;
  state: ConsentState;
  method: ConsentMethod;
  channel: Channel;
  /** The notice shown with it (A9): a form or preference-centre grant without one is not informed. */
  noticeId: number | null;
  occurredAt: Date;
  /** Whether double opt-in applied to this grant (the purpose's or its form's setting). */
  doubleOptIn?: boolean;
}

/** Is this event the person's own affirmative act, recorded by the plugin, that may lift their entry? */
export const isOwnGrant = (event: GrantEvidenceEvent): boolean => {
  if (event.state !== 'granted' || (event.action !== 'granted' && event.action !== 'confirmed')) return false;
  if (!(LIFTING_METHODS as readonly string[]).includes(event.method)) return false;
  if (event.method === 'double-opt-in') return true;
  // A ticked box only counts with the notice shown; where double opt-in applies to an email, the tick
  // alone proves nothing about who owns the address: only the confirmation does (B1).
  if (event.noticeId == null) return false;
  if (event.method === 'form' && event.channel === 'email' && event.doubleOptIn) return false;
  return true;
};

/**
 * When the person's own act last granted the consent that stands today: walks the events of one person,
 * purpose and channel in ledger order (`seq`), and answers the time of the latest own grant since the
 * state last left `granted`, or null (state not granted, or granted only by imports and the like). A later
 * import on top of the person's own grant does not take their opt-in away; an import alone never gives one.
 */
export const ownGrantAt = (events: readonly GrantEvidenceEvent[]): Date | null => {
  let at: Date | null = null;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.state !== 'granted') at = null;
    else if (isOwnGrant(event) && (!at || event.occurredAt.getTime() > at.getTime())) at = event.occurredAt;
  }
  return at;
};

/** Does the person's own grant (at `ownGrantedAt`) of a purpose on `basis` lift this entry? */
export const liftsSuppression = (
  entry: { reason: SuppressionReason; createdAt?: Date | null },
  grant: { basis: LegalBasis; ownGrantedAt?: Date | null }
): boolean =>
  grant.basis === 'consent' &&
  !!grant.ownGrantedAt &&
  !!entry.createdAt &&
  (LIFTABLE_REASONS as readonly string[]).includes(entry.reason) &&
  entry.createdAt.getTime() < grant.ownGrantedAt.getTime();

/** The entries that still stand once the person's own later grant (if any) has lifted theirs. */
export const standingSuppressions = <E extends { reason: SuppressionReason; createdAt?: Date | null }>(
  entries: readonly E[],
  grant: { basis: LegalBasis; ownGrantedAt?: Date | null }
): E[] => entries.filter((entry) => !liftsSuppression(entry, grant));

/** Can an event recorded with this method ever lift a suppression entry? (Imports answer why not, per row.) */
export const methodMayLift = (method: ConsentMethod): boolean =>
  (LIFTING_METHODS as readonly string[]).includes(method);
