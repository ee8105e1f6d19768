import { movesState, nextState, type StateRow } from '../../server/src/domain/consent-state';
import {
  contactMethod,
  isPersonActivity,
  isStaleProspect,
  monthsAfter,
  proofClockFrom,
  proofKeptUntil,
  proofMustBeKept,
} from '../../server/src/domain/retention-rules';

const t = (iso: string) => new Date(iso);
const grant = { action: 'granted', state: 'granted', channel: 'phone', legalBasis: 'consent' } as const;
const use = { action: 'contacted', state: 'granted', channel: 'phone', legalBasis: 'consent' } as const;

describe('proofKeptUntil (C8, I5: §7a UWG, five years from the grant and from each use)', () => {
  it('C8/I5: five years from the grant of a German consumer phone consent, to the end of that German day', () => {
    const facts = {
      jurisdiction: 'de',
      audience: 'consumer',
      events: [{ ...grant, occurredAt: t('2021-03-15T10:00:00Z') }],
    } as const;
    // 15 March 2026 ends at midnight in Berlin (CET): 23:00 UTC.
    expect(proofKeptUntil(facts)).toEqual(t('2026-03-15T23:00:00Z'));
    expect(proofMustBeKept(facts, t('2026-03-15T20:00:00Z'))).toBe(true);
  });

  it('C8/I5: the German day of the grant counts, not the UTC one: a grant at 00:30 in Berlin is kept to the end of that Berlin date', () => {
    // 10 June 2021, 22:30 UTC is 11 June, 00:30 in Berlin (CEST): the five years end with 11 June 2026 in
    // Berlin (22:00 UTC), a day after the same UTC instant five years on.
    const facts = {
      jurisdiction: 'de',
      audience: 'consumer',
      events: [{ ...grant, occurredAt: t('2021-06-10T22:30:00Z') }],
    } as const;
    expect(proofKeptUntil(facts)).toEqual(t('2026-06-11T22:00:00Z'));
    expect(proofMustBeKept(facts, t('2026-06-11T12:00:00Z'))).toBe(true);
    expect(proofMustBeKept(facts, t('2026-06-11T21:59:59Z'))).toBe(true);
    expect(proofMustBeKept(facts, t('2026-06-11T22:00:00Z'))).toBe(false);
  });

  it('C8/I5: a reader that loads grants and uses from proofClockFrom(now) misses none that still holds proof', () => {
    const HOUR = 3_600_000;
    for (
      let start = t('2021-01-01T00:00:00Z').getTime();
      start < t('2021-12-31T00:00:00Z').getTime();
      start += 7 * HOUR + 13 * 60_000
    ) {
      const facts = {
        jurisdiction: 'de',
        audience: 'consumer',
        events: [{ ...grant, occurredAt: new Date(start) }],
      } as const;
      const until = proofKeptUntil(facts)!;
      // Just before the end the proof is held, and the event is inside the window read at that instant.
      const now = new Date(until.getTime() - 1);
      expect(proofMustBeKept(facts, now)).toBe(true);
      expect(start).toBeGreaterThanOrEqual(proofClockFrom(now).getTime());
      // Never earlier than the same UTC instant five years on (the old reading), never more than two days later.
      expect(until.getTime()).toBeGreaterThan(monthsAfter(new Date(start), 60).getTime());
      expect(until.getTime() - monthsAfter(new Date(start), 60).getTime()).toBeLessThanOrEqual(2 * 24 * HOUR);
    }
  });

  it('C8/I5: each use starts the five years again, whatever the state at the time', () => {
    const facts = {
      jurisdiction: 'de',
      audience: null,
      events: [
        { ...grant, occurredAt: t('2021-03-15T10:00:00Z') },
        { ...use, state: 'withdrawn', occurredAt: t('2024-02-29T09:00:00Z') },
      ],
    } as const;
    // 29 February plus five years is the last day of February, to its end in Berlin.
    expect(proofKeptUntil(facts)).toEqual(t('2029-02-28T23:00:00Z'));
    expect(proofMustBeKept(facts, t('2029-02-27T00:00:00Z'))).toBe(true);
    expect(proofMustBeKept(facts, t('2029-03-01T00:00:00Z'))).toBe(false);
  });

  it('C8/I5: automated calling machines too; not e-mail, not another basis, not a refusal', () => {
    const base = { jurisdiction: 'de', audience: 'consumer' } as const;
    const at = t('2022-01-01T00:00:00Z');
    expect(proofKeptUntil({ ...base, events: [{ ...grant, channel: 'automated-call', occurredAt: at }] })).toEqual(
      t('2027-01-01T23:00:00Z')
    );
    expect(proofKeptUntil({ ...base, events: [{ ...grant, channel: 'email', occurredAt: at }] })).toBeNull();
    expect(
      proofKeptUntil({ ...base, events: [{ ...grant, legalBasis: 'legitimate-interest', occurredAt: at }] })
    ).toBeNull();
    expect(
      proofKeptUntil({ ...base, events: [{ ...grant, action: 'refused', state: 'refused', occurredAt: at }] })
    ).toBeNull();
  });

  it('C8/I5: only German consumers (§7a UWG); other jurisdictions and professionals have no such rule', () => {
    const events = [{ ...grant, occurredAt: t('2024-01-01T00:00:00Z') }];
    expect(proofKeptUntil({ jurisdiction: 'fr', audience: 'consumer', events })).toBeNull();
    expect(proofKeptUntil({ jurisdiction: 'de', audience: 'professional', events })).toBeNull();
  });
});

describe('contacted events (C8, I4, N8, N11)', () => {
  it('C8: a contact never moves the state: the row stays as it was, lastEventSeq and changedAt included', () => {
    const granted: StateRow = nextState(null, {
      seq: 1,
      action: 'granted',
      state: 'granted',
      legalBasis: 'consent',
      noticeId: 3,
      noticeVersion: 1,
      occurredAt: t('2026-01-01T00:00:00Z'),
    });
    expect(movesState('contacted')).toBe(false);
    expect(movesState('granted')).toBe(true);
    expect(
      nextState(granted, {
        seq: 7,
        action: 'contacted',
        state: 'granted',
        legalBasis: 'consent',
        occurredAt: t('2026-02-01T00:00:00Z'),
      })
    ).toBe(granted);
    expect(
      nextState(null, {
        seq: 7,
        action: 'contacted',
        state: 'granted',
        legalBasis: 'consent',
        occurredAt: t('2026-02-01T00:00:00Z'),
      })
    ).toMatchObject({
      state: 'none',
      lastEventSeq: 0,
    });
  });

  it("I4/N8/N11: a reported click is the person's activity, a send is not", () => {
    expect(isPersonActivity({ method: contactMethod('clicked'), actor: 'api-token:1' })).toBe(true);
    expect(isPersonActivity({ method: contactMethod('sent'), actor: 'api-token:1' })).toBe(false);
  });

  it('monthsAfter mirrors monthsBefore', () => {
    expect(monthsAfter(t('2026-01-31T12:00:00Z'), 1)).toEqual(t('2026-02-28T12:00:00Z'));
  });
});

describe('isStaleProspect with the subscriber rule (I4, N8, N11)', () => {
  // Three years before 2029-01-01: the cutoff is 2026-01-01.
  const clock = { now: t('2029-01-01T00:00:00Z'), months: 36, repermissionDays: 30 };
  const old = {
    collectedAt: t('2022-01-01T00:00:00Z'),
    lastActivityAt: t('2022-06-01T00:00:00Z'),
    hasCurrentGrant: true,
    erased: false,
  };
  const asked = { askedAt: t('2028-11-01T00:00:00Z') };
  it('I4/N11: a current grant keeps a person, unless the three years apply to subscribers (France) and the re-permission request went unanswered', () => {
    expect(isStaleProspect({ ...old, ...asked }, clock)).toBe(false);
    expect(isStaleProspect({ ...old, subscriberRule: true }, clock)).toBe(false);
    expect(isStaleProspect({ ...old, subscriberRule: true, ...asked }, clock)).toBe(true);
    expect(isStaleProspect({ ...old, subscriberRule: true, askable: false }, clock)).toBe(true);
  });
  it("I4/N8: counted from the person's last own act, which a recent click moves", () => {
    expect(
      isStaleProspect({ ...old, subscriberRule: true, ...asked, lastActivityAt: t('2026-02-01T00:00:00Z') }, clock)
    ).toBe(false);
  });
});
