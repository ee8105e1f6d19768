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
  reconsentRequired: boolean;
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
 * The state an event leaves behind. The event carries its resulting state (decided by the capture rules);
 * this keeps the rest consistent: a new grant or confirmation records the notice and the grant time and
 * clears a re-consent flag; any other change keeps the notice the person last agreed to. Replaying the
 * ledger through this function gives `consent_states` back (spec 3: "always equal to replaying the ledger").
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
    reconsentRequired: false,
  };
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
    reconsentRequired: affirmative ? false : base.reconsentRequired,
  };
};
