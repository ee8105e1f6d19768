/**
 * "May I contact this person for this purpose on this channel?" (spec 4.2): `decideEligibility`, a row per
 * state and legal basis, expiry at its exact boundary, re-consent (A11), archived purposes, channels.
 * The law of each channel and jurisdiction is tested row by row in contact-rules.test.ts; here the
 * legitimate-interest cases use postal mail, which is opt-out everywhere, so only the consent state speaks.
 */
import { STATES, type Channel, type ConsentState, type LegalBasis } from '../../shared/contracts/domain';
import {
  decideEligibility,
  REASONS,
  type EligibilityContext,
  type EligibilityPurpose,
  type EligibilityState,
} from '../../server/src/domain/eligibility-rules';

const now = new Date('2026-06-01T12:00:00.000Z');
// A current contract on record, so that contract purposes are judged on their state alone (C7 is tested below).
const context: EligibilityContext = { jurisdiction: 'eu', currentContract: true };
const purpose = (legalBasis: LegalBasis, over: Partial<EligibilityPurpose> = {}): EligibilityPurpose => ({
  legalBasis,
  channels: ['email'],
  active: true,
  ...over,
});
const stored = (state: ConsentState, over: Partial<EligibilityState> = {}): EligibilityState => ({
  state,
  expiresAt: null,
  reconsentRequired: false,
  ...over,
});
const decide = (
  basis: LegalBasis,
  state: ConsentState | null,
  over: Partial<EligibilityState> = {},
  channel: Channel = 'email'
) =>
  decideEligibility(purpose(basis, { channels: [channel] }), channel, state ? stored(state, over) : null, now, context);

describe('decideEligibility: consent', () => {
  const rows: [ConsentState | null, boolean, string[]][] = [
    [null, false, ['no-consent']],
    ['none', false, ['no-consent']],
    ['granted', true, []],
    ['pending', false, ['pending-confirmation']],
    ['refused', false, ['refused']],
    ['withdrawn', false, ['withdrawn']],
    ['objected', false, ['objected']],
    ['expired', false, ['expired']],
    ['revoked', false, ['revoked']],
  ];
  it.each(rows)('state %s → eligible %s, reasons %j', (state, eligible, reasons) => {
    expect(decide('consent', state)).toEqual({ eligible, state: state ?? 'none', basis: 'consent', reasons });
  });

  it('covers every state there is', () => {
    expect(new Set(rows.map(([s]) => s ?? 'none'))).toEqual(new Set(STATES));
  });
});

describe('decideEligibility: legitimate interest (only an objection stops contact)', () => {
  it.each(STATES.map((s) => [s, s !== 'objected'] as const))('state %s → eligible %s', (state, eligible) => {
    expect(decide('legitimate-interest', state, {}, 'postal')).toEqual({
      eligible,
      state,
      basis: 'legitimate-interest',
      reasons: eligible ? [] : ['objected'],
    });
  });

  it('nobody on record → eligible, state none', () => {
    expect(decide('legitimate-interest', null, {}, 'postal')).toEqual({
      eligible: true,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: [],
    });
  });
});

describe('C7: decideEligibility: contract needs a current contract on record', () => {
  it.each([null, ...STATES])('state %s, no current contract → not eligible, no-contract', (state) => {
    const verdict = decideEligibility(purpose('contract'), 'email', state ? stored(state) : null, now, {
      jurisdiction: 'eu',
    });
    expect(verdict.eligible).toBe(false);
    expect(verdict.reasons).toContain('no-contract');
  });
});

describe.each(['contract', 'legal-obligation'] as const)(
  'decideEligibility: %s (no marketing choice; an objection still stops contact, C4)',
  (basis) => {
    it.each([null, ...STATES.filter((s) => s !== 'objected')])('state %s → eligible', (state) => {
      expect(decide(basis, state)).toEqual({ eligible: true, state: state ?? 'none', basis, reasons: [] });
    });
    it('state objected → not eligible, objected', () => {
      expect(decide(basis, 'objected')).toEqual({ eligible: false, state: 'objected', basis, reasons: ['objected'] });
    });
  }
);

describe('expiry (I7): a grant past its lifetime is expired, even before the expiry job ran', () => {
  const at = (ms: number) => ({ expiresAt: new Date(now.getTime() + ms) });

  it('one millisecond before expiry → still granted', () => {
    expect(decide('consent', 'granted', at(1))).toEqual({
      eligible: true,
      state: 'granted',
      basis: 'consent',
      reasons: [],
    });
  });
  it('at the exact expiry instant → expired', () => {
    expect(decide('consent', 'granted', at(0))).toEqual({
      eligible: false,
      state: 'expired',
      basis: 'consent',
      reasons: ['expired'],
    });
  });
  it('after expiry → expired', () => {
    expect(decide('consent', 'granted', at(-1))).toMatchObject({
      eligible: false,
      state: 'expired',
      reasons: ['expired'],
    });
  });
  it('no expiry date → never expires', () => {
    expect(
      decideEligibility(purpose('consent'), 'email', stored('granted'), new Date('2999-01-01'), context)
    ).toMatchObject({ eligible: true });
  });
  it('only a grant expires: another state keeps its own reason', () => {
    expect(decide('consent', 'withdrawn', at(-1000))).toMatchObject({ state: 'withdrawn', reasons: ['withdrawn'] });
    expect(decide('consent', 'pending', at(-1000))).toMatchObject({
      state: 'pending',
      reasons: ['pending-confirmation'],
    });
  });
  it('an expired grant needs no re-consent on top: expired says it all', () => {
    expect(decide('consent', 'granted', { ...at(-1), reconsentRequired: true })).toMatchObject({
      state: 'expired',
      reasons: ['expired'],
    });
  });
});

describe('re-consent (A11)', () => {
  it('a grant under a materially changed notice → not eligible, state granted, re-consent-required', () => {
    expect(decide('consent', 'granted', { reconsentRequired: true })).toEqual({
      eligible: false,
      state: 'granted',
      basis: 'consent',
      reasons: ['re-consent-required'],
    });
  });
  it('the flag means nothing for a state that is not a grant', () => {
    expect(decide('consent', 'refused', { reconsentRequired: true })).toMatchObject({ reasons: ['refused'] });
  });
  it('the flag does not affect legitimate interest', () => {
    expect(decide('legitimate-interest', 'none', { reconsentRequired: true }, 'postal')).toMatchObject({
      eligible: true,
    });
  });
});

describe('archived purposes and channels', () => {
  it('an archived purpose is never eligible, whatever the state or basis', () => {
    for (const basis of ['consent', 'legitimate-interest', 'contract', 'legal-obligation'] as const) {
      const state = basis === 'consent' ? stored('granted') : null;
      expect(
        decideEligibility(purpose(basis, { active: false, channels: ['postal'] }), 'postal', state, now, context)
      ).toMatchObject({
        eligible: false,
        basis,
        reasons: ['purpose-archived'],
      });
    }
  });

  it('a channel the purpose does not cover → channel-not-covered', () => {
    expect(decideEligibility(purpose('consent'), 'sms', stored('granted'), now, context)).toEqual({
      eligible: false,
      state: 'granted',
      basis: 'consent',
      reasons: ['channel-not-covered'],
    });
    expect(decideEligibility(purpose('contract'), 'postal', null, now, context)).toMatchObject({
      eligible: false,
      reasons: ['channel-not-covered'],
    });
  });

  it('every reason applies at once, in a stable order', () => {
    expect(
      decideEligibility(purpose('consent', { active: false }), 'sms', stored('withdrawn'), now, context).reasons
    ).toEqual(['purpose-archived', 'channel-not-covered', 'withdrawn']);
  });

  it('a purpose on several channels is checked per channel', () => {
    const multi = purpose('consent', { channels: ['sms', 'phone'] });
    expect(decideEligibility(multi, 'phone', stored('granted'), now, context)).toMatchObject({ eligible: true });
    expect(decideEligibility(multi, 'email', stored('granted'), now, context).reasons).toEqual(['channel-not-covered']);
  });
});

describe('reason codes', () => {
  it('every reason given is one of the stable codes', () => {
    const given = new Set<string>();
    for (const basis of ['consent', 'legitimate-interest', 'contract', 'legal-obligation'] as const) {
      for (const state of [null, ...STATES]) {
        for (const active of [true, false]) {
          for (const reconsentRequired of [true, false]) {
            const verdict = decideEligibility(
              purpose(basis, { active }),
              'sms',
              state ? stored(state, { reconsentRequired, expiresAt: new Date(now.getTime() - 1) }) : null,
              now,
              context
            );
            verdict.reasons.forEach((r) => given.add(r));
            expect(verdict.eligible).toBe(verdict.reasons.length === 0);
          }
        }
      }
    }
    for (const reason of given) expect(REASONS).toContain(reason);
  });
});
