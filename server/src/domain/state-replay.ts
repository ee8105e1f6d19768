import { movesState, nextState, type StateEvent, type StateRow } from './consent-state';

/** An event as the replay reads it: what `nextState` needs and the key it belongs to. */
export interface ReplayEvent extends Omit<StateEvent, 'lifetimeDays'> {
  subject: string;
  purpose: string;
  channel: string;
}

/** What a replay knows of one key: the state, and when the last grant or confirmation happened. */
export interface Replayed {
  row: StateRow;
  lastGrantAt: Date | null;
}

/** The fields a replay decides; `expiresAt` is checked apart (see `stateDifferences`). */
export const REPLAYED_FIELDS = [
  'state',
  'legalBasis',
  'noticeId',
  'noticeVersion',
  'lastEventSeq',
  'changedAt',
  'grantedAt',
] as const;

const DAY = 86_400_000;

export const replayKey = (k: { subject: string; purpose: string; channel: string }) =>
  `${k.subject}\u0000${k.purpose}\u0000${k.channel}`;

/**
 * Spec 3 ("consent_states always equals replaying the ledger"): the states a run of events leaves, in
 * `seq` order, through the same `nextState` the ledger applies when it appends. Events that move no state
 * (`contacted`, `informed`) create no key, as the ledger creates no row for them.
 */
export const replayStates = (
  events: Iterable<ReplayEvent>,
  into: Map<string, Replayed> = new Map()
): Map<string, Replayed> => {
  for (const event of events) {
    if (!movesState(event.action)) continue;
    const key = replayKey(event);
    const previous = into.get(key);
    const row = nextState(previous?.row ?? null, event);
    const affirmative = event.state === 'granted' && (event.action === 'granted' || event.action === 'confirmed');
    into.set(key, { row, lastGrantAt: affirmative ? event.occurredAt : (previous?.lastGrantAt ?? null) });
  }
  return into;
};

const same = (a: unknown, b: unknown) =>
  a instanceof Date || b instanceof Date
    ? (a == null ? null : new Date(a as Date).getTime()) === (b == null ? null : new Date(b as Date).getTime())
    : (a ?? null) === (b ?? null);

/**
 * The fields in which a stored state differs from its replay; `[]` when equal. A key only one side has
 * differs in `state`. `expiresAt` comes from the purpose's lifetime at the time of the grant, which the
 * event does not carry (an editor may change the lifetime since): it must be absent, or a whole number of
 * days after the last grant or confirmation the replay saw.
 */
export const stateDifferences = (expected: Replayed | null, actual: StateRow | null): string[] => {
  if (!expected || !actual) return expected || actual ? ['state'] : [];
  const fields: string[] = REPLAYED_FIELDS.filter((f) => !same(expected.row[f], actual[f]));
  if (actual.expiresAt) {
    const after = expected.lastGrantAt ? actual.expiresAt.getTime() - expected.lastGrantAt.getTime() : -1;
    if (after <= 0 || after % DAY !== 0) fields.push('expiresAt');
  }
  return fields;
};
