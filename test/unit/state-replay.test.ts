/** The replay the ledger's states must equal (J1; spec 3, docs/ledger.md): domain/state-replay.ts. */
import { nextState } from '../../server/src/domain/consent-state';
import { replayKey, replayStates, stateDifferences, type ReplayEvent } from '../../server/src/domain/state-replay';

const DAY = 86_400_000;
const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000);
const e = (seq: number, over: Partial<ReplayEvent> = {}): ReplayEvent => ({
  seq,
  subject: 's1',
  purpose: 'newsletter',
  channel: 'email',
  action: 'granted',
  state: 'granted',
  legalBasis: 'consent',
  noticeId: 10,
  noticeVersion: 1,
  occurredAt: t(seq),
  ...over,
});
const key = (over: Partial<ReplayEvent> = {}) =>
  replayKey({ subject: 's1', purpose: 'newsletter', channel: 'email', ...over });

describe('replayStates', () => {
  it('J1, C8: events that move no state (contacted, informed) create no key and change none', () => {
    const replayed = replayStates([
      e(1, { action: 'informed', state: 'none', purpose: 'catalogue' }),
      e(2),
      e(3, { action: 'contacted', state: 'granted' }),
    ]);
    expect([...replayed.keys()]).toEqual([key()]);
    expect(replayed.get(key())!.row).toMatchObject({ state: 'granted', lastEventSeq: 2, changedAt: t(2) });
  });

  it('J1: each key gets what nextState makes of its events in order, and remembers the last grant', () => {
    const replayed = replayStates([
      e(1),
      e(2, { channel: 'sms' }),
      e(3, { action: 'withdrawn', state: 'withdrawn', noticeId: null }),
    ]);
    expect(replayed.get(key())).toEqual({
      row: nextState(nextState(null, e(1)), e(3, { action: 'withdrawn', state: 'withdrawn', noticeId: null })),
      lastGrantAt: t(1),
    });
    expect(replayed.get(key({ channel: 'sms' }))!.row.state).toBe('granted');
  });
});

describe('stateDifferences', () => {
  const replayed = replayStates([e(1), e(2, { action: 'withdrawn', state: 'withdrawn', noticeId: null })]).get(key())!;

  it('J1: a state equal to its replay differs in nothing', () => {
    expect(stateDifferences(replayed, { ...replayed.row })).toEqual([]);
  });

  it('J1: names each field a write behind the ledger changed', () => {
    expect(stateDifferences(replayed, { ...replayed.row, state: 'granted', lastEventSeq: 9 })).toEqual([
      'state',
      'lastEventSeq',
    ]);
    expect(stateDifferences(replayed, { ...replayed.row, changedAt: new Date(t(2).getTime() + 1) })).toEqual([
      'changedAt',
    ]);
  });

  it('J1: a key only one side has differs in its state', () => {
    expect(stateDifferences(replayed, null)).toEqual(['state']);
    expect(stateDifferences(null, replayed.row)).toEqual(['state']);
    expect(stateDifferences(null, null)).toEqual([]);
  });

  it('I7: an expiry must be a whole number of days after the last grant (the lifetime is not on the event)', () => {
    expect(stateDifferences(replayed, { ...replayed.row, expiresAt: new Date(t(1).getTime() + 30 * DAY) })).toEqual([]);
    expect(stateDifferences(replayed, { ...replayed.row, expiresAt: new Date(t(1).getTime() + 30 * DAY + 1) })).toEqual(
      ['expiresAt']
    );
    const never = replayStates([e(1, { action: 'refused', state: 'refused' })]).get(key())!;
    expect(stateDifferences(never, { ...never.row, expiresAt: new Date(t(1).getTime() + DAY) })).toEqual(['expiresAt']);
  });
});
