/**
 * Children's consent (G1–G6; GDPR Art. 8, Recital 38): the pure rules of domain/children-rules.ts, the
 * capture rule that turns a child's tick into a request, the eligibility reasons and the boot check of
 * the threshold table.
 */
import { defaultConfig } from '../../server/src/config/defaults';
import { validateConfig } from '../../server/src/config/validate';
import { planSubmission, type RulePurpose } from '../../server/src/domain/capture-rules';
import {
  belowThreshold,
  childMarketingBlocked,
  childStatus,
  DEFAULT_THRESHOLDS,
  formAgeThreshold,
  mergeChildStatus,
  needsOwnConfirmation,
  parentalConsentRequired,
  thresholdFor,
} from '../../server/src/domain/children-rules';
import { decideEligibility, REASONS, type EligibilityContext } from '../../server/src/domain/eligibility-rules';

const now = new Date('2026-06-15T10:00:00.000Z');
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const at = (iso: string) => new Date(iso);
const site = { jurisdiction: 'eu' as const, thresholds: DEFAULT_THRESHOLDS, defaultAge: 16 };

describe('G1: the threshold table and whose threshold a form applies', () => {
  it('G1: the member states named in the requirements, and the GDPR default for any other country', () => {
    expect(DEFAULT_THRESHOLDS).toMatchObject({
      DE: 16,
      FR: 15,
      IE: 16,
      NL: 16,
      AT: 14,
      IT: 14,
      ES: 14,
      CZ: 15,
      GR: 15,
      BE: 13,
      DK: 13,
      FI: 13,
      SE: 13,
    });
    for (const age of Object.values(DEFAULT_THRESHOLDS)) expect(age).toBeGreaterThanOrEqual(13);
    for (const age of Object.values(DEFAULT_THRESHOLDS)) expect(age).toBeLessThanOrEqual(16);
    expect(thresholdFor('US', DEFAULT_THRESHOLDS)).toEqual({ threshold: 16, country: null });
    expect(thresholdFor(null, DEFAULT_THRESHOLDS)).toEqual({ threshold: 16, country: null });
    expect(thresholdFor('fr', DEFAULT_THRESHOLDS)).toEqual({ threshold: 15, country: 'FR' });
  });

  it("G1: the form's country, else its jurisdiction's, else the site's; `eu` names none", () => {
    expect(formAgeThreshold({ childrenCountry: 'AT', jurisdiction: 'fr' }, site)).toEqual({
      threshold: 14,
      country: 'AT',
    });
    expect(formAgeThreshold({ jurisdiction: 'fr' }, site)).toEqual({ threshold: 15, country: 'FR' });
    expect(formAgeThreshold({ jurisdiction: null }, { ...site, jurisdiction: 'de' })).toEqual({
      threshold: 16,
      country: 'DE',
    });
    expect(formAgeThreshold({}, site)).toEqual({ threshold: 16, country: null });
    expect(formAgeThreshold({}, { ...site, defaultAge: 13 })).toEqual({ threshold: 13, country: null });
  });

  it.each([
    [{ germany: 16 }, /consent\.children\.thresholds\.germany is not a country code/],
    [{ de: 16 }, /consent\.children\.thresholds\.de is not a country code/],
    [{ DE: 12 }, /consent\.children\.thresholds\.DE must be a whole age between 13 and 16/],
    [{ DE: 17 }, /consent\.children\.thresholds\.DE must be a whole age between 13 and 16/],
    [{ DE: 15.5 }, /consent\.children\.thresholds\.DE must be a whole age between 13 and 16/],
    [{ DE: '16' }, /consent\.children\.thresholds\.DE must be a whole age between 13 and 16/],
  ])('G1: boot refuses the table entry %j, naming the key', (thresholds, message) => {
    expect(() =>
      validateConfig({ ...defaultConfig, children: { ...defaultConfig.children, thresholds } }, 'test')
    ).toThrow(message);
  });

  it('G1: the defaults pass, and other children keys are checked too', () => {
    expect(() => validateConfig(defaultConfig, 'test')).not.toThrow();
    expect(() =>
      validateConfig({ ...defaultConfig, children: { ...defaultConfig.children, defaultAge: 18 } }, 'test')
    ).toThrow(/consent\.children\.defaultAge must be less than or equal to 16/);
    expect(() =>
      validateConfig({ ...defaultConfig, children: { ...defaultConfig.children, directMarketing: 'yes' } }, 'test')
    ).toThrow(/consent\.children\.directMarketing/);
  });
});

describe('G1: the outcome of the age question, conservatively, and nothing more', () => {
  it('G1: an age below the threshold: a child until threshold − age years from now (someone whose birthday began just now)', () => {
    expect(childStatus({ age: 12 }, 15, now)).toEqual({ child: true, childUntil: at('2029-06-15T10:00:00Z') });
    expect(childStatus({ age: 15 }, 16, now)).toEqual({ child: true, childUntil: at('2027-06-15T10:00:00Z') });
  });

  it('G1: an age at or over the threshold is not a child, and keeps no date', () => {
    expect(childStatus({ age: 15 }, 15, now)).toEqual({ child: false, childUntil: null });
    expect(childStatus({ age: 40 }, 16, now)).toEqual({ child: false, childUntil: null });
  });

  it('G1: a birth year counts as born on 31 December: a child until that day has begun everywhere, the year they turn the threshold', () => {
    expect(childStatus({ birthYear: 2011 }, 15, now)).toEqual({ child: true, childUntil: at('2026-12-31T12:00:00Z') });
    expect(childStatus({ birthYear: 2010 }, 15, now)).toEqual({ child: false, childUntil: null });
  });

  it('G1, G2: a German child who answers 12 just after midnight in Berlin is a child until midnight in Berlin four years on, not midnight UTC', () => {
    // 10 January 2026, 23:30 UTC is 11 January 00:30 in Berlin: a child who turned 12 that day turns 16
    // on 11 January 2030, at 00:00 in Berlin (10 January, 23:00 UTC).
    const asked = at('2026-01-10T23:30:00Z');
    const status = childStatus({ age: 12 }, 16, asked);
    expect(status.childUntil!.getTime()).toBeGreaterThanOrEqual(at('2030-01-10T23:00:00Z').getTime());
    expect(belowThreshold(status, at('2030-01-10T22:59:59Z'))).toBe(true);
    expect(parentalConsentRequired(status, at('2030-01-10T22:59:59Z'))).toBe(true);
  });

  it('G1, G2: a birth year makes nobody of age before 31 December has begun in every time zone (UTC−12)', () => {
    const status = childStatus({ birthYear: 2014 }, 16, now);
    // 31 December 2030, 05:00 UTC is still 30 December in New York and Honolulu.
    expect(belowThreshold(status, at('2030-12-31T05:00:00Z'))).toBe(true);
    expect(belowThreshold(status, at('2030-12-31T11:59:59Z'))).toBe(true);
    expect(belowThreshold(status, at('2030-12-31T12:00:00Z'))).toBe(false);
  });

  it('G1, G2: at any instant, in every time zone from UTC−12 to UTC+14, the youngest person of that age is a child until their own midnight', () => {
    const MINUTE = 60_000;
    const instants = [
      '2026-01-10T23:30:00Z',
      '2026-06-15T10:00:00Z',
      '2026-03-01T11:45:00Z',
      '2027-12-31T13:00:00Z',
      '2028-02-29T00:10:00Z',
      '2026-07-04T00:00:00Z',
    ].map(at);
    for (const asked of instants)
      for (const [age, threshold] of [
        [12, 15],
        [13, 16],
        [15, 16],
        [16, 16],
        [20, 16],
      ]) {
        const status = childStatus({ age }, threshold, asked);
        let latest = -Infinity;
        for (let offset = -12 * 60; offset <= 14 * 60; offset += 15) {
          // The local date at `asked` in this zone; the youngest person of `age` was born on it, `age` years ago.
          const local = new Date(asked.getTime() + offset * MINUTE);
          const birthday = Date.UTC(local.getUTCFullYear() + threshold - age, local.getUTCMonth(), local.getUTCDate());
          latest = Math.max(latest, birthday - offset * MINUTE);
        }
        if (latest > asked.getTime()) {
          expect(status.child).toBe(true);
          expect(status.childUntil!.getTime()).toBeGreaterThanOrEqual(latest);
          // Conservative, not more: the latest midnight of all, within a quarter of an hour (offsets step by 15 min).
          expect(status.childUntil!.getTime() - latest).toBeLessThanOrEqual(15 * MINUTE);
        } else {
          expect(status).toEqual({ child: false, childUntil: null });
        }
      }
  });

  it('G1: the stored outcome holds no age and no birth date', () => {
    expect(Object.keys(childStatus({ age: 12 }, 15, now)).sort()).toEqual(['child', 'childUntil']);
  });

  it('G1: a later answer never lifts a child flag; the later date stands', () => {
    const child = { child: true, childUntil: day('2029-06-15') };
    expect(mergeChildStatus(child, { child: false, childUntil: null })).toEqual(child);
    expect(mergeChildStatus(child, { child: true, childUntil: day('2030-01-01') })).toEqual({
      child: true,
      childUntil: day('2030-01-01'),
    });
    expect(mergeChildStatus(null, { child: false, childUntil: null })).toEqual({ child: false, childUntil: null });
    expect(mergeChildStatus({ child: false, childUntil: null }, child)).toEqual(child);
  });
});

describe('G2: below the threshold, a tick only requests consent', () => {
  const newsletter: RulePurpose = {
    key: 'newsletter',
    legalBasis: 'consent',
    mechanism: 'opt-in',
    channels: ['email', 'sms'],
    doubleOptIn: false,
    honorGpc: false,
  };
  const plan = (parentalConsent: boolean, state?: 'granted' | 'pending', grantedByParent?: boolean) =>
    planSubmission({
      offered: [newsletter],
      gpcPurposes: [],
      ticked: new Set(['newsletter']),
      displayed: new Set(['newsletter']),
      formDoubleOptIn: false,
      gpc: false,
      parentalConsent,
      identifiers: { email: 'kid@example.com', phone: '+33612345678' },
      states: new Map(state ? [['newsletter:email', { state, reconsentRequired: false, grantedByParent }]] : []),
    });

  it('G2: a child on a children’s form: every ticked channel is `requested`, pending, never granted', () => {
    expect(parentalConsentRequired({ child: true, childUntil: day('2029-06-15') }, now)).toBe(true);
    expect(plan(true).events.map((e) => `${e.channel}:${e.action}:${e.state}`)).toEqual([
      'email:requested:pending',
      'sms:requested:pending',
    ]);
    expect(plan(false).events.map((e) => `${e.channel}:${e.action}`)).toEqual(['email:granted', 'sms:granted']);
  });

  it("G2: a grant a parent already gave is left as it is by the child's tick", () => {
    expect(plan(true, 'granted', true).events.map((e) => `${e.channel}:${e.action}`)).toEqual(['sms:requested']);
  });

  it("G2: a child's own standing grant does not stop their tick from asking a parent: it is not consent", () => {
    for (const own of [false, undefined])
      expect(plan(true, 'granted', own).events.map((e) => `${e.channel}:${e.action}:${e.state}`)).toEqual([
        'email:requested:pending',
        'sms:requested:pending',
      ]);
    // Not a child's tick (a form that asks no age): a standing grant is re-granted as before.
    expect(plan(false, 'granted', false).events.map((e) => `${e.channel}:${e.action}`)).toEqual([
      'email:granted',
      'sms:granted',
    ]);
  });

  // A form not offered to children asks no age and refuses one (services/capture.ts): it never gets here.
  it('G2: only below the threshold', () => {
    expect(parentalConsentRequired({ child: true, childUntil: day('2026-01-01') }, now)).toBe(false);
    expect(parentalConsentRequired({ child: false, childUntil: null }, now)).toBe(false);
    expect(belowThreshold(null, now)).toBe(false);
  });
});

describe('G2, G5, G6: what eligibility answers for a child-flagged record', () => {
  const consent = { legalBasis: 'consent' as const, channels: ['email' as const], active: true };
  const contract = {
    legalBasis: 'contract' as const,
    channels: ['email' as const],
    active: true,
    directMarketing: false,
  };
  const child = { child: true, childUntil: day('2029-06-15') };
  const grown = { child: true, childUntil: day('2026-06-01') };
  const ctx = (over: Partial<EligibilityContext>): EligibilityContext => ({
    jurisdiction: 'eu',
    currentContract: true,
    ...over,
  });
  const granted = (over = {}) => ({ state: 'granted' as const, expiresAt: null, reconsentRequired: false, ...over });

  it('G2, G4: a child’s pending request names the parent it waits for', () => {
    const verdict = decideEligibility(
      consent,
      'email',
      { state: 'pending', expiresAt: null, reconsentRequired: false },
      now,
      ctx({ child, childMarketingAllowed: true })
    );
    expect(verdict).toMatchObject({ eligible: false, reasons: ['parental-consent-pending'] });
  });

  it('G6: direct marketing to a person below the threshold is off by default, on when the site owner allows it', () => {
    expect(childMarketingBlocked(child, true, false, now)).toBe(true);
    expect(decideEligibility(consent, 'email', granted({ grantedByParent: true }), now, ctx({ child }))).toMatchObject({
      eligible: false,
      reasons: ['child-marketing-off'],
    });
    expect(
      decideEligibility(
        consent,
        'email',
        granted({ grantedByParent: true }),
        now,
        ctx({ child, childMarketingAllowed: true })
      )
    ).toMatchObject({ eligible: true, reasons: [] });
    // Not direct marketing (a service message on a contract): not G6's.
    expect(
      decideEligibility(
        contract,
        'email',
        { state: 'none', expiresAt: null, reconsentRequired: false },
        now,
        ctx({ child })
      )
    ).toMatchObject({ eligible: true });
    // Past the threshold: no longer a child.
    expect(childMarketingBlocked(grown, true, false, now)).toBe(false);
  });

  it('G2: below the threshold a grant of the child’s own never counts, whatever the site allows; a parent’s does', () => {
    const allowed = ctx({ child, childMarketingAllowed: true });
    expect(decideEligibility(consent, 'email', granted(), now, allowed)).toEqual({
      eligible: false,
      state: 'granted',
      basis: 'consent',
      reasons: ['parental-consent-pending'],
    });
    expect(decideEligibility(consent, 'email', granted({ grantedByParent: false }), now, ctx({ child }))).toMatchObject(
      {
        eligible: false,
        reasons: ['parental-consent-pending', 'child-marketing-off'],
      }
    );
    expect(decideEligibility(consent, 'email', granted({ grantedByParent: true }), now, allowed)).toMatchObject({
      eligible: true,
    });
    // Past the threshold their own grant is theirs to give (G5), and a person never found a child is not concerned.
    expect(decideEligibility(consent, 'email', granted(), now, ctx({ child: grown }))).toMatchObject({
      eligible: true,
    });
    expect(
      decideEligibility(consent, 'email', granted(), now, ctx({ child: { child: false, childUntil: null } }))
    ).toMatchObject({ eligible: true });
  });

  it('G5: a parent’s grant needs the person’s own confirmation once they reached the threshold; their own grant does not', () => {
    expect(needsOwnConfirmation(grown, true, now)).toBe(true);
    expect(needsOwnConfirmation(grown, false, now)).toBe(false);
    expect(needsOwnConfirmation(child, true, now)).toBe(false);
    expect(needsOwnConfirmation({ child: false, childUntil: null }, true, now)).toBe(false);
    expect(
      decideEligibility(consent, 'email', granted({ grantedByParent: true }), now, ctx({ child: grown }))
    ).toMatchObject({
      eligible: false,
      state: 'granted',
      reasons: ['own-confirmation-required'],
    });
    expect(decideEligibility(consent, 'email', granted(), now, ctx({ child: grown }))).toMatchObject({
      eligible: true,
    });
  });

  it('G2, G5, G6: the reason codes are in the catalogue', () => {
    expect(REASONS).toEqual(
      expect.arrayContaining(['parental-consent-pending', 'own-confirmation-required', 'child-marketing-off'])
    );
  });
});
