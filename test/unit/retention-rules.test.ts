/** The date rules of the retention jobs: I3 (suppression entries), I4 (prospects), I7 (consent lifetime). */
import {
  ACTIVITY_METHODS,
  currentGrant,
  isPersonActivity,
  isStaleProspect,
  lastOwnAct,
  lifetimeOver,
  maySuppressionGo,
  monthsBefore,
  repermissionDue,
  SUPPRESSION_FLOOR_MONTHS,
  suppressionDeleteBefore,
} from '../../server/src/domain/retention-rules';
import { METHODS } from '../../shared/contracts/domain';

const at = (iso: string) => new Date(iso);

describe('monthsBefore', () => {
  it.each([
    ['2026-11-29T11:32:08.123Z', 36, '2023-11-29T11:32:08.123Z'],
    ['2026-03-01T00:00:00.000Z', 1, '2026-02-01T00:00:00.000Z'],
    ['2026-01-15T10:00:00.000Z', 2, '2025-11-15T10:00:00.000Z'],
    // A day the target month lacks becomes its last day: the period never ends early.
    ['2026-05-31T10:00:00.000Z', 3, '2026-02-28T10:00:00.000Z'],
    ['2028-05-31T10:00:00.000Z', 3, '2028-02-29T10:00:00.000Z'],
    ['2028-02-29T23:59:59.999Z', 12, '2027-02-28T23:59:59.999Z'],
    ['2026-12-31T00:00:00.000Z', 36, '2023-12-31T00:00:00.000Z'],
    ['2026-07-31T00:00:00.000Z', 0, '2026-07-31T00:00:00.000Z'],
  ])('%s minus %i months is %s', (now, months, expected) => {
    expect(monthsBefore(at(now), months).toISOString()).toBe(expected);
  });

  it('does not change its argument', () => {
    const now = at('2026-05-31T10:00:00.000Z');
    monthsBefore(now, 3);
    expect(now.toISOString()).toBe('2026-05-31T10:00:00.000Z');
  });
});

describe('I7: a grant past its lifetime', () => {
  const now = at('2026-06-01T00:00:00.000Z');

  it('is over at its expiresAt exactly, as eligibility reads it', () => {
    expect(lifetimeOver({ state: 'granted', expiresAt: now }, now)).toBe(true);
    expect(lifetimeOver({ state: 'granted', expiresAt: '2026-05-31T23:59:59.999Z' }, now)).toBe(true);
    expect(lifetimeOver({ state: 'granted', expiresAt: '2026-06-01T00:00:00.001Z' }, now)).toBe(false);
  });

  it('a grant without lifetime never lapses by time alone (BGH III ZR 196/17)', () => {
    expect(lifetimeOver({ state: 'granted', expiresAt: null }, now)).toBe(false);
    expect(currentGrant({ state: 'granted', expiresAt: null }, now)).toBe(true);
  });

  it('only grants expire; a current grant is granted and not over', () => {
    expect(lifetimeOver({ state: 'withdrawn', expiresAt: '2020-01-01T00:00:00.000Z' }, now)).toBe(false);
    expect(currentGrant({ state: 'granted', expiresAt: '2020-01-01T00:00:00.000Z' }, now)).toBe(false);
    expect(currentGrant({ state: 'pending', expiresAt: null }, now)).toBe(false);
    expect(currentGrant({ state: 'expired', expiresAt: null }, now)).toBe(false);
  });
});

describe('I4: what counts as the person’s own activity', () => {
  it.each([
    ['form', 'subject'],
    ['double-opt-in', 'subject'],
    ['one-click', 'subject'],
    ['link', 'subject'],
    ['preference-center', 'subject'],
    ['signal', 'signal'],
    ['import', 'api:crm'],
  ] as const)('%s by %s counts', (method, actor) => {
    expect(isPersonActivity({ method, actor })).toBe(true);
  });

  it('what the site, its staff or the plugin records does not (api, admin, actor system)', () => {
    expect(isPersonActivity({ method: 'api', actor: 'api:crm' })).toBe(false);
    expect(isPersonActivity({ method: 'admin', actor: 'admin:1' })).toBe(false);
    // The expiry of an unconfirmed double opt-in request carries the method of the request.
    expect(isPersonActivity({ method: 'double-opt-in', actor: 'system' })).toBe(false);
  });

  it('every ledger method is classified, and there is none for an email open (never a contact)', () => {
    expect([...ACTIVITY_METHODS, 'api', 'admin'].sort()).toEqual([...METHODS].sort());
    expect(METHODS as readonly string[]).not.toContain('open');
  });
});

describe('I4: a stale prospect', () => {
  const now = at('2026-11-29T00:00:00.000Z');
  const clock = { now, months: 36, repermissionDays: 30 };
  const cutoff = monthsBefore(now, 36); // 2023-11-29
  const old = at('2023-01-01T00:00:00.000Z');
  const recent = at('2024-01-01T00:00:00.000Z');
  const facts = { collectedAt: old, lastActivityAt: null, hasCurrentGrant: false, erased: false };

  it('collected before the cutoff, nothing since, no grant: stale', () => {
    expect(isStaleProspect(facts, clock)).toBe(true);
    expect(isStaleProspect({ ...facts, lastActivityAt: at('2023-11-28T23:59:59.999Z') }, clock)).toBe(true);
  });

  it('collected, or active, within the period: kept (3 years from collection or the last own contact)', () => {
    expect(isStaleProspect({ ...facts, collectedAt: recent }, clock)).toBe(false);
    expect(isStaleProspect({ ...facts, lastActivityAt: recent }, clock)).toBe(false);
    expect(isStaleProspect({ ...facts, lastActivityAt: cutoff }, clock)).toBe(false);
  });

  it('a current grant keeps the person outside the subscriber rule: a subscriber, not a prospect', () => {
    expect(isStaleProspect({ ...facts, hasCurrentGrant: true }, clock)).toBe(false);
    expect(
      isStaleProspect({ ...facts, hasCurrentGrant: true, subscriberRule: false, askable: true, askedAt: recent }, clock)
    ).toBe(false);
  });

  it('already erased: nothing to do', () => {
    expect(isStaleProspect({ ...facts, erased: true }, clock)).toBe(false);
  });

  it('I4 customers: kept while a contract runs, and 3 years from its end', () => {
    expect(isStaleProspect({ ...facts, contract: { current: true, endedAt: null } }, clock)).toBe(false);
    expect(isStaleProspect({ ...facts, contract: { current: false, endedAt: recent } }, clock)).toBe(false);
    expect(
      isStaleProspect({ ...facts, contract: { current: false, endedAt: at('2023-06-01T00:00:00.000Z') } }, clock)
    ).toBe(true);
  });
});

describe('I4: a subscriber under the three-year rule is asked once before their data goes', () => {
  const now = at('2026-11-29T00:00:00.000Z');
  const clock = { now, months: 36, repermissionDays: 30 };
  const subscriber = {
    collectedAt: at('2023-01-01T00:00:00.000Z'),
    lastActivityAt: null,
    hasCurrentGrant: true,
    erased: false,
    subscriberRule: true,
    askable: true,
    askedAt: null,
  };

  it('never purged unasked: three years without an own act are not enough while they can be asked', () => {
    expect(isStaleProspect(subscriber, clock)).toBe(false);
    expect(repermissionDue(subscriber, clock)).toBe(true);
  });

  it('the request goes out repermissionDays before the end of the three years, not earlier', () => {
    // Last own act 2023-12-29: the three years end 2026-12-29, 30 days after `now`.
    expect(repermissionDue({ ...subscriber, lastActivityAt: at('2023-12-29T00:00:00.000Z') }, clock)).toBe(true);
    expect(repermissionDue({ ...subscriber, lastActivityAt: at('2023-12-29T00:00:00.001Z') }, clock)).toBe(false);
    expect(repermissionDue({ ...subscriber, lastActivityAt: at('2025-01-01T00:00:00.000Z') }, clock)).toBe(false);
  });

  it('once: not again while the request stands for the current period', () => {
    const asked = { ...subscriber, askedAt: at('2026-11-01T00:00:00.000Z') };
    expect(repermissionDue(asked, clock)).toBe(false);
  });

  it('without an answer, the data goes repermissionDays after the request, not before', () => {
    expect(isStaleProspect({ ...subscriber, askedAt: at('2026-10-30T00:00:00.000Z') }, clock)).toBe(true);
    expect(isStaleProspect({ ...subscriber, askedAt: at('2026-10-30T00:00:00.001Z') }, clock)).toBe(false);
  });

  it('an own act after the request (the answer, a click, a form) starts a new period: the old request no longer counts', () => {
    const answered = {
      ...subscriber,
      askedAt: at('2023-10-01T00:00:00.000Z'),
      lastActivityAt: at('2023-10-05T00:00:00.000Z'),
    };
    // Three years after the answer: asked anew, not purged on the strength of the old request.
    expect(isStaleProspect(answered, clock)).toBe(false);
    expect(repermissionDue(answered, clock)).toBe(true);
  });

  it('someone who cannot be asked (no email address) goes at the end of the three years', () => {
    const unreachable = { ...subscriber, askable: false };
    expect(repermissionDue(unreachable, clock)).toBe(false);
    expect(isStaleProspect(unreachable, clock)).toBe(true);
  });

  it('nobody outside the rule, without a grant, with a running contract or erased is asked', () => {
    expect(repermissionDue({ ...subscriber, subscriberRule: false }, clock)).toBe(false);
    expect(repermissionDue({ ...subscriber, hasCurrentGrant: false }, clock)).toBe(false);
    expect(repermissionDue({ ...subscriber, contract: { current: true, endedAt: null } }, clock)).toBe(false);
    expect(repermissionDue({ ...subscriber, erased: true }, clock)).toBe(false);
  });

  it('the three years of a customer run from the end of their contract', () => {
    const customer = { ...subscriber, contract: { current: false, endedAt: at('2024-06-01T00:00:00.000Z') } };
    expect(lastOwnAct(customer)).toEqual(at('2024-06-01T00:00:00.000Z'));
    expect(repermissionDue(customer, clock)).toBe(false);
  });
});

describe('I3: suppression entries', () => {
  const now = at('2026-11-29T00:00:00.000Z');

  it('no maximum (the default): nothing may ever be deleted', () => {
    expect(suppressionDeleteBefore(now, { minMonths: 36, maxMonths: null })).toBeNull();
    expect(maySuppressionGo({ reason: 'unsubscribe', createdAt: at('2000-01-01T00:00:00.000Z') }, null)).toBe(false);
  });

  it('with a maximum, entries older than it may go', () => {
    expect(suppressionDeleteBefore(now, { minMonths: 36, maxMonths: 60 })).toEqual(at('2021-11-29T00:00:00.000Z'));
  });

  it('never younger than the minimum, even if max < min slipped past validation', () => {
    expect(suppressionDeleteBefore(now, { minMonths: 36, maxMonths: 12 })).toEqual(at('2023-11-29T00:00:00.000Z'));
    expect(suppressionDeleteBefore(now, { minMonths: 48, maxMonths: 40 })).toEqual(at('2022-11-29T00:00:00.000Z'));
  });

  it('I3: never an entry younger than 36 months from the objection, whatever the configuration says', () => {
    // A configuration set at run time (strapi.config.set) is not validated: the rule holds the floor itself.
    expect(SUPPRESSION_FLOOR_MONTHS).toBe(36);
    expect(suppressionDeleteBefore(now, { minMonths: 12, maxMonths: 12 })).toEqual(at('2023-11-29T00:00:00.000Z'));
    expect(suppressionDeleteBefore(now, { minMonths: 1, maxMonths: 24 })).toEqual(at('2023-11-29T00:00:00.000Z'));
    const objected = at('2024-01-15T00:00:00.000Z');
    const before = suppressionDeleteBefore(now, { minMonths: 12, maxMonths: 12 });
    expect(maySuppressionGo({ reason: 'objection', createdAt: objected }, before)).toBe(false);
    expect(maySuppressionGo({ reason: 'objection', createdAt: at('2023-11-28T00:00:00.000Z') }, before)).toBe(true);
  });

  it.each(['unsubscribe', 'objection', 'erasure', 'bounce'] as const)(
    'an entry with reason %s older than the cutoff goes',
    (reason) => {
      const before = at('2021-11-29T00:00:00.000Z');
      expect(maySuppressionGo({ reason, createdAt: at('2021-11-28T00:00:00.000Z') }, before)).toBe(true);
      expect(maySuppressionGo({ reason, createdAt: at('2021-11-29T00:00:00.000Z') }, before)).toBe(false);
    }
  );

  it('an opposition-list entry never ages out here (a re-import replaces the list)', () => {
    expect(maySuppressionGo({ reason: 'opposition-list', createdAt: at('2000-01-01T00:00:00.000Z') }, now)).toBe(false);
  });

  it('an objection said again since restarts the period', () => {
    const before = at('2021-11-29T00:00:00.000Z');
    const entry = { reason: 'objection' as const, createdAt: at('2019-01-01T00:00:00.000Z') };
    expect(maySuppressionGo({ ...entry, reaffirmedAt: at('2025-01-01T00:00:00.000Z') }, before)).toBe(false);
    expect(maySuppressionGo({ ...entry, reaffirmedAt: at('2020-01-01T00:00:00.000Z') }, before)).toBe(true);
    expect(maySuppressionGo({ ...entry, reaffirmedAt: null }, before)).toBe(true);
  });
});
