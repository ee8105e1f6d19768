/** The state an event leaves behind (A11 notice of the grant, I7 expiry from the purpose lifetime). */
import { nextState } from '../../server/src/domain/consent-state';
import { eventHash } from '../../server/src/domain/event-hash';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const grant = {
  seq: 1,
  action: 'granted',
  state: 'granted',
  legalBasis: 'consent',
  noticeId: 10,
  noticeVersion: 1,
  occurredAt: t0,
} as const;

describe('nextState', () => {
  it('a grant records the notice, the grant time and the expiry from the lifetime', () => {
    expect(nextState(null, { ...grant, lifetimeDays: 30 })).toMatchObject({
      state: 'granted',
      noticeId: 10,
      grantedAt: t0,
      expiresAt: new Date('2026-01-31T00:00:00.000Z'),
      lastEventSeq: 1,
    });
  });

  it('a withdrawal keeps the notice last agreed to and clears the grant', () => {
    const granted = nextState(null, grant);
    const withdrawn = nextState(granted, { ...grant, seq: 2, action: 'withdrawn', state: 'withdrawn', noticeId: null });
    expect(withdrawn).toMatchObject({ state: 'withdrawn', noticeId: 10, grantedAt: null, lastEventSeq: 2 });
  });

  it('a new grant records the new notice; re-consent is not part of the state (A11, derived on read)', () => {
    const granted = nextState(null, grant);
    const again = nextState(granted, { ...grant, seq: 3, noticeId: 11, noticeVersion: 2 });
    expect(again).toMatchObject({ noticeId: 11, noticeVersion: 2 });
    expect(again).not.toHaveProperty('reconsentRequired');
  });

  it('pending keeps no grant time until confirmed', () => {
    const pending = nextState(null, { ...grant, action: 'requested', state: 'pending' });
    expect(pending).toMatchObject({ state: 'pending', grantedAt: null, noticeId: 10 });
    expect(nextState(pending, { ...grant, seq: 2, action: 'confirmed' })).toMatchObject({
      state: 'granted',
      grantedAt: t0,
    });
  });
});

describe('eventHash', () => {
  const event = {
    seq: 1,
    eventId: 'e',
    subject: 's',
    occurredAt: t0,
    context: { b: 1, a: 2 },
    prevHash: '0'.repeat(64),
  };
  it('reads numbers stored as strings, dates as ISO strings and JSON in any key order alike', () => {
    expect(eventHash({ ...event, seq: '1', occurredAt: '2026-01-01T00:00:00.000Z', context: { a: 2, b: 1 } })).toBe(
      eventHash(event)
    );
  });
  it('changes with any hashed field', () => {
    expect(eventHash({ ...event, subject: 't' })).not.toBe(eventHash(event));
    expect(eventHash({ ...event, seq: 2 })).not.toBe(eventHash(event));
  });
});
