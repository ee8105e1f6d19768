/**
 * What may lift a suppression entry (C4, J2, N7; I1): only the person's own later opt-in recorded by the
 * plugin (form with the notice shown, the double opt-in confirmation, the preference centre), never an
 * import, an API call, an admin or a signal; and never an opposition-list or bounce entry.
 */
import {
  METHODS,
  SUPPRESSION_REASONS,
  type ConsentMethod,
  type SuppressionReason,
} from '../../shared/contracts/domain';
import { decideEligibility } from '../../server/src/domain/eligibility-rules';
import {
  isOwnGrant,
  LIFTABLE_REASONS,
  LIFTING_METHODS,
  liftsSuppression,
  methodMayLift,
  ownGrantAt,
  standingSuppressions,
  type GrantEvidenceEvent,
} from '../../server/src/domain/suppression-rules';

const T = (minutes: number) => new Date(Date.UTC(2026, 5, 1, 12, minutes));
let seq = 0;
const ev = (over: Partial<GrantEvidenceEvent> = {}): GrantEvidenceEvent => ({
  seq: ++seq,
  action: 'granted',
  state: 'granted',
  method: 'form',
  channel: 'email',
  noticeId: 7,
  occurredAt: T(10),
  ...over,
});
const entry = (reason: SuppressionReason, at = T(5)) => ({ reason, createdAt: at });

describe('C4, J2, N7: which methods may lift a suppression entry', () => {
  it("only form, double-opt-in and preference-center are the person's own act recorded by the plugin", () => {
    expect([...LIFTING_METHODS].sort()).toEqual(['double-opt-in', 'form', 'preference-center']);
    for (const method of METHODS) {
      expect([method, methodMayLift(method)]).toEqual([
        method,
        (LIFTING_METHODS as readonly string[]).includes(method),
      ]);
    }
  });

  it.each(['import', 'api', 'admin', 'signal', 'one-click', 'link'] as ConsentMethod[])(
    "C4/J2/N7: a %s grant is never the person's own grant",
    (method) => {
      expect(isOwnGrant(ev({ method }))).toBe(false);
      expect(ownGrantAt([ev({ method })])).toBeNull();
    }
  );

  it('A9: a form or preference-centre grant counts only with the notice shown; a confirmation always', () => {
    expect(isOwnGrant(ev({ method: 'form', noticeId: null }))).toBe(false);
    expect(isOwnGrant(ev({ method: 'preference-center', noticeId: null }))).toBe(false);
    expect(isOwnGrant(ev({ method: 'preference-center' }))).toBe(true);
    expect(isOwnGrant(ev({ method: 'double-opt-in', action: 'confirmed', noticeId: null }))).toBe(true);
  });

  it('B1: where double opt-in applies, only the confirmation of an email lifts, not the tick; other channels are not confirmed by email (B5)', () => {
    expect(isOwnGrant(ev({ method: 'form', doubleOptIn: true }))).toBe(false);
    expect(isOwnGrant(ev({ method: 'double-opt-in', action: 'confirmed', doubleOptIn: true }))).toBe(true);
    expect(isOwnGrant(ev({ method: 'form', channel: 'sms', doubleOptIn: true }))).toBe(true);
  });

  it('only affirmative grants count: a pending request, a refusal or a withdrawal are not opt-ins', () => {
    expect(isOwnGrant(ev({ action: 'requested', state: 'pending' }))).toBe(false);
    expect(isOwnGrant(ev({ action: 'refused', state: 'refused' }))).toBe(false);
    expect(isOwnGrant(ev({ action: 'withdrawn', state: 'withdrawn' }))).toBe(false);
  });
});

describe("ownGrantAt: the person's own grant in the consent that stands", () => {
  it("an import on top of the person's own grant does not take it away; an import alone gives none", () => {
    const own = ev({ occurredAt: T(10) });
    const imported = ev({ method: 'import', occurredAt: T(20), noticeId: null });
    expect(ownGrantAt([own, imported])).toEqual(T(10));
    expect(ownGrantAt([imported])).toBeNull();
  });

  it('a withdrawal ends the stretch: an own grant before it no longer counts after a later import', () => {
    const own = ev({ occurredAt: T(10) });
    const out = ev({ action: 'withdrawn', state: 'withdrawn', method: 'one-click', occurredAt: T(15) });
    const imported = ev({ method: 'import', occurredAt: T(20), noticeId: null });
    expect(ownGrantAt([own, out, imported])).toBeNull();
    expect(ownGrantAt([own, out])).toBeNull();
  });

  it('follows ledger order (seq), not the order given', () => {
    const a = ev({ occurredAt: T(10) });
    const b = ev({ action: 'withdrawn', state: 'withdrawn', method: 'one-click', occurredAt: T(15) });
    const c = ev({ occurredAt: T(20) });
    expect(ownGrantAt([c, b, a])).toEqual(T(20));
  });
});

describe('liftsSuppression and standingSuppressions', () => {
  it.each(LIFTABLE_REASONS)("C4: the person's own later consent lifts their %s entry", (reason) => {
    expect(liftsSuppression(entry(reason), { basis: 'consent', ownGrantedAt: T(10) })).toBe(true);
  });

  it.each(SUPPRESSION_REASONS.filter((r) => !(LIFTABLE_REASONS as readonly string[]).includes(r)))(
    "a %s entry is never lifted by the person's grant",
    (reason) => {
      expect(liftsSuppression(entry(reason), { basis: 'consent', ownGrantedAt: T(10) })).toBe(false);
    }
  );

  it('C4: an own grant before the entry, no own grant, or a legitimate-interest purpose lifts nothing', () => {
    expect(liftsSuppression(entry('unsubscribe', T(20)), { basis: 'consent', ownGrantedAt: T(10) })).toBe(false);
    expect(liftsSuppression(entry('objection'), { basis: 'consent', ownGrantedAt: null })).toBe(false);
    expect(liftsSuppression(entry('objection'), { basis: 'legitimate-interest', ownGrantedAt: T(10) })).toBe(false);
    expect(
      liftsSuppression({ reason: 'unsubscribe', createdAt: null }, { basis: 'consent', ownGrantedAt: T(10) })
    ).toBe(false);
  });

  it('keeps every entry the grant does not lift', () => {
    const entries = [entry('unsubscribe'), entry('opposition-list'), entry('bounce')];
    expect(standingSuppressions(entries, { basis: 'consent', ownGrantedAt: T(10) }).map((e) => e.reason)).toEqual([
      'opposition-list',
      'bounce',
    ]);
    expect(standingSuppressions(entries, { basis: 'consent', ownGrantedAt: null })).toHaveLength(3);
  });
});

describe('decideEligibility uses the rule (C4, J2, N7)', () => {
  const purpose = { legalBasis: 'consent' as const, channels: ['email' as const], active: true };
  const granted = { state: 'granted' as const, expiresAt: null, reconsentRequired: false, grantedAt: T(20) };
  const decide = (ownGrantedAt: Date | null) =>
    decideEligibility(purpose, 'email', granted, T(30), {
      jurisdiction: 'eu',
      suppressions: [entry('objection')],
      ownGrantedAt,
    });

  it("C4/J2/N7: a grant dated after an objection entry but not the person's own (an import) leaves them suppressed", () => {
    expect(decide(null)).toMatchObject({ eligible: false, state: 'granted', reasons: ['suppressed'] });
  });
  it("C4: the person's own later opt-in lifts it", () => {
    expect(decide(T(20))).toMatchObject({ eligible: true, reasons: [] });
  });
});
