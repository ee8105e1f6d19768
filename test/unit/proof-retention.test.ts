import { movesState, nextState, type StateRow } from '../../server/src/domain/consent-state';
import {
  contactMethod,
  isPersonActivity,
  isStaleProspect,
  monthsAfter,
  proofKeptUntil,
  proofMustBeKept,
} from '../../server/src/domain/retention-rules';

const t = (iso: string) => new Date(iso);
const grant = { action: 'granted', state: 'granted', channel: 'phone', legalBasis: 'consent' } as const;
const use = { action: 'contacted', state: 'granted', channel: 'phone', legalBasis: 'consent' } as const;

describe('proofKeptUntil (C8, I5: §7a UWG, five years from the grant and from each use)', () => {
  it('C8/I5: five years from the grant of a German consumer phone consent', () => {
    const facts = {
      jurisdiction: 'de',
      audience: 'consumer',
      events: [{ ...grant, occurredAt: t('2021-03-15T10:00:00Z') }],
    } as const;
    expect(proofKeptUntil(facts)).toEqual(t('2026-03-15T10:00:00Z'));
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
    // 29 February plus five years is the last day of February.
    expect(proofKeptUntil(facts)).toEqual(t('2029-02-28T09:00:00Z'));
    expect(proofMustBeKept(facts, t('2029-02-27T00:00:00Z'))).toBe(true);
    expect(proofMustBeKept(facts, t('2029-03-01T00:00:00Z'))).toBe(false);
  });

  it('C8/I5: automated calling machines too; not e-mail, not another basis, not a refusal', () => {
    const base = { jurisdiction: 'de', audience: 'consumer' } as const;
    const at = t('2022-01-01T00:00:00Z');
    expect(proofKeptUntil({ ...base, events: [{ ...grant, channel: 'automated-call', occurredAt: at }] })).toEqual(
      t('2027-01-01T00:00:00Z')
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
