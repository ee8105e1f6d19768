import type { ConsentAction, ConsentState, LegalBasis } from '../../../shared/contracts/domain';

/** The current state of one subject × purpose × channel, as stored in `consent_states`. */
export interface StateRow {
  state: ConsentState;
  legalBasis: LegalBasis;
  noticeId: number | null;
  noticeVersion: number | null;
  lastEventSeq: number;
  changedAt: Date;
  grantedAt: Date | null;
  expiresAt: Date | null;
}

export interface StateEvent {
  seq: number;
  action: ConsentAction;
  state: ConsentState;
  legalBasis: LegalBasis;
  noticeId?: number | null;
  noticeVersion?: number | null;
  occurredAt: Date;
  /** Days a grant stays valid (the purpose's consent lifetime), if limited. */
  lifetimeDays?: number | null;
}

const DAY = 86_400_000;

/**
 * Actions that are proof only. `contacted`: a use of the consent (C8). `informed`: the person was shown the
 * notice of an opt-out purpose and their right to object (C3, Art. 21(4)); being told is not a decision.
 */
export const PROOF_ONLY_ACTIONS: readonly ConsentAction[] = ['contacted', 'informed'];

/**
 * Whether an action moves the consent state. `contacted` records a use of the consent (C8: the site
 * reports a call or a mailing); it is proof, not a decision of the person, so the state row stays as it
 * was, `lastEventSeq` and `changedAt` included, and a key with no row gets none (the ledger service skips
 * such events when it moves states; a replay must skip them too, which `nextState` does).
 */
export const movesState = (action: ConsentAction): boolean => !PROOF_ONLY_ACTIONS.includes(action);

/**
 * The state an event leaves behind. The event carries its resulting state (decided by the capture rules);
 * this keeps the rest consistent: a new grant or confirmation records the notice and the grant time; any
 * other change keeps the notice the person last agreed to. Whether that notice still covers the consent
 * (A11) is not part of the state: it depends on notices published later, so readers derive it
 * (domain/reconsent.ts) and publishing a notice writes no state. Replaying the
 * ledger through this function gives `consent_states` back (spec 3: "always equal to replaying the ledger").
 * An event that does not move the state (`movesState`) gives the previous row back unchanged; with no
 * previous row it gives the `none` row a key without a row stands for (the ledger stores none).
 */
export const nextState = (previous: StateRow | null, event: StateEvent): StateRow => {
  const affirmative = event.state === 'granted' && (event.action === 'granted' || event.action === 'confirmed');
  const base: StateRow = previous ?? {
    state: 'none',
    legalBasis: event.legalBasis,
    noticeId: null,
    noticeVersion: null,
    lastEventSeq: 0,
    changedAt: event.occurredAt,
    grantedAt: null,
    expiresAt: null,
  };
  if (!movesState(event.action)) return base;
  const withNotice = event.noticeId != null && (affirmative || event.state === 'pending' || !previous);
  return {
    ...base,
    state: event.state,
    legalBasis: event.legalBasis,
    noticeId: withNotice ? event.noticeId! : base.noticeId,
    noticeVersion: withNotice ? (event.noticeVersion ?? null) : base.noticeVersion,
    lastEventSeq: event.seq,
    changedAt: event.occurredAt,
    grantedAt: affirmative ? event.occurredAt : event.state === 'granted' ? base.grantedAt : null,
    expiresAt:
      affirmative && event.lifetimeDays
        ? new Date(event.occurredAt.getTime() + event.lifetimeDays * DAY)
        : affirmative
          ? null
          : base.expiresAt,
  };
};
