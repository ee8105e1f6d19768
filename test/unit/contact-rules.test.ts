/**
 * The law of each channel, audience and jurisdiction (legal map §1; C1–C8, D9): one test per row of
 * CONTACT_RULES, the French telephone switch of 11 August 2026 (C6, C7), the soft opt-in elements (C1),
 * objection beating every basis (C4) and suppression beating consent.
 */
import {
  CHANNELS,
  JURISDICTIONS,
  LEGAL_BASES,
  type Audience,
  type Channel,
  type ConsentState,
  type Jurisdiction,
  type LegalBasis,
  type Sector,
  type SuppressionReason,
} from '../../shared/contracts/domain';
import {
  CONTACT_RULES,
  contactAudience,
  findContactRule,
  FR_PHONE_CONSENT_FROM,
  legalDate,
  missingSoftOptInElements,
  NO_RULE,
  type ContactCase,
  type SoftOptInEvidence,
} from '../../server/src/domain/contact-rules';
import { isDirectMarketing } from '../../server/src/domain/direct-marketing';
import { decideEligibility, REASONS } from '../../server/src/domain/eligibility-rules';

interface Input {
  jurisdiction: Jurisdiction;
  channel: Channel;
  basis: LegalBasis;
  /** The person's recorded audience. */
  audience?: Audience | null;
  purposeAudience?: Audience;
  softOptIn?: boolean;
  state?: ConsentState | null;
  /** The check's instant. */
  at?: string;
  evidence?: SoftOptInEvidence | null;
  suppressions?: SuppressionReason[];
  /** A current contract with the person is on record. */
  contract?: boolean;
  /** The purpose's direct-marketing flag (contract purposes). */
  directMarketing?: boolean;
  sector?: Sector;
  /** A jurisdiction the check names besides the person's. */
  asked?: Jurisdiction;
}

const BEFORE_SWITCH = '2026-08-10T12:00:00Z';
const AFTER_SWITCH = '2026-08-11T12:00:00Z';
const COMPLETE: SoftOptInEvidence = { sale: 'order-2025-0042', similarProducts: true, objectionOffered: true };

/** The state a person has when nothing stops them: a grant for consent purposes, nothing otherwise. */
const defaultState = (basis: LegalBasis): ConsentState | null => (basis === 'consent' ? 'granted' : null);

const decide = (i: Input) => {
  const state = i.state === undefined ? defaultState(i.basis) : i.state;
  return decideEligibility(
    {
      legalBasis: i.basis,
      channels: [i.channel],
      active: true,
      audience: i.purposeAudience ?? 'any',
      softOptIn: !!i.softOptIn,
      directMarketing: i.directMarketing,
      sector: i.sector ?? null,
    },
    i.channel,
    state ? { state, expiresAt: null, reconsentRequired: false } : null,
    new Date(i.at ?? BEFORE_SWITCH),
    {
      jurisdiction: i.jurisdiction,
      askedJurisdiction: i.asked ?? null,
      currentContract: !!i.contract,
      subjectAudience: i.audience ?? null,
      suppressions: (i.suppressions ?? []).map((reason) => ({ reason })),
      softOptIn: i.evidence ?? null,
    }
  );
};

const ruleFor = (i: Input) =>
  findContactRule({
    jurisdiction: i.jurisdiction,
    channel: i.channel,
    audience: contactAudience(i.audience),
    basis: i.basis,
    date: legalDate(new Date(i.at ?? BEFORE_SWITCH), i.jurisdiction),
    softOptInPurpose: !!i.softOptIn,
    aboutProfession: i.purposeAudience === 'professional',
    directMarketing: isDirectMarketing(i.basis, i.directMarketing),
  }).id;

const ROW_CASES: [row: string, input: Input, eligible: boolean, reasons: string[]][] = [
  [
    'legal-obligation',
    { jurisdiction: 'de', channel: 'phone', basis: 'legal-obligation', audience: 'consumer' },
    true,
    [],
  ],
  [
    'fr-phone-consumer-contract',
    { jurisdiction: 'fr', channel: 'phone', basis: 'contract', audience: 'consumer', at: AFTER_SWITCH, contract: true },
    true,
    [],
  ],
  [
    'fr-email-professional-contract-marketing',
    {
      jurisdiction: 'fr',
      channel: 'email',
      basis: 'contract',
      audience: 'professional',
      purposeAudience: 'professional',
      directMarketing: true,
      contract: true,
    },
    true,
    [],
  ],
  [
    'contract-marketing-email-sms',
    {
      jurisdiction: 'fr',
      channel: 'email',
      basis: 'contract',
      audience: 'consumer',
      directMarketing: true,
      contract: true,
    },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'de-phone-consumer-contract-marketing',
    {
      jurisdiction: 'de',
      channel: 'phone',
      basis: 'contract',
      audience: 'consumer',
      directMarketing: true,
      contract: true,
    },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'eu-phone-contract-marketing',
    {
      jurisdiction: 'eu',
      channel: 'phone',
      basis: 'contract',
      audience: 'professional',
      directMarketing: true,
      contract: true,
    },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'contract-marketing-device',
    {
      jurisdiction: 'de',
      channel: 'push',
      basis: 'contract',
      audience: 'consumer',
      directMarketing: true,
      contract: true,
    },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'contract',
    { jurisdiction: 'de', channel: 'email', basis: 'contract', audience: 'consumer', contract: true },
    true,
    [],
  ],
  [
    'automated-call-fax',
    { jurisdiction: 'fr', channel: 'automated-call', basis: 'legitimate-interest', audience: 'professional' },
    false,
    ['jurisdiction-rule'],
  ],
  ['consent', { jurisdiction: 'de', channel: 'phone', basis: 'consent', audience: 'consumer' }, true, []],
  ['postal', { jurisdiction: 'de', channel: 'postal', basis: 'legitimate-interest', audience: 'consumer' }, true, []],
  [
    'fr-email-professional',
    {
      jurisdiction: 'fr',
      channel: 'email',
      basis: 'legitimate-interest',
      audience: 'professional',
      purposeAudience: 'professional',
    },
    true,
    [],
  ],
  [
    'eu-email-sms-soft-opt-in',
    {
      jurisdiction: 'eu',
      channel: 'email',
      basis: 'legitimate-interest',
      audience: 'consumer',
      softOptIn: true,
      evidence: COMPLETE,
    },
    true,
    [],
  ],
  [
    'fr-email-sms-soft-opt-in',
    {
      jurisdiction: 'fr',
      channel: 'sms',
      basis: 'legitimate-interest',
      audience: 'consumer',
      softOptIn: true,
      evidence: COMPLETE,
    },
    true,
    [],
  ],
  [
    'de-email-sms-soft-opt-in',
    {
      jurisdiction: 'de',
      channel: 'email',
      basis: 'legitimate-interest',
      audience: 'professional',
      softOptIn: true,
      evidence: COMPLETE,
    },
    true,
    [],
  ],
  [
    'eu-email-sms',
    {
      jurisdiction: 'eu',
      channel: 'email',
      basis: 'legitimate-interest',
      audience: 'professional',
      purposeAudience: 'professional',
    },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'fr-email-sms',
    {
      jurisdiction: 'fr',
      channel: 'sms',
      basis: 'legitimate-interest',
      audience: 'professional',
      purposeAudience: 'professional',
    },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'de-email-sms',
    {
      jurisdiction: 'de',
      channel: 'email',
      basis: 'legitimate-interest',
      audience: 'professional',
      purposeAudience: 'professional',
    },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'fr-phone-consumer-opt-out',
    { jurisdiction: 'fr', channel: 'phone', basis: 'legitimate-interest', audience: 'consumer', at: BEFORE_SWITCH },
    true,
    [],
  ],
  [
    'fr-phone-consumer-consent',
    { jurisdiction: 'fr', channel: 'phone', basis: 'legitimate-interest', audience: 'consumer', at: AFTER_SWITCH },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'fr-phone-professional',
    { jurisdiction: 'fr', channel: 'phone', basis: 'legitimate-interest', audience: 'professional', at: AFTER_SWITCH },
    true,
    [],
  ],
  [
    'de-phone-consumer',
    { jurisdiction: 'de', channel: 'phone', basis: 'legitimate-interest', audience: 'consumer' },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'de-phone-professional',
    { jurisdiction: 'de', channel: 'phone', basis: 'legitimate-interest', audience: 'professional' },
    true,
    [],
  ],
  [
    'eu-phone',
    { jurisdiction: 'eu', channel: 'phone', basis: 'legitimate-interest', audience: 'professional' },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'push',
    { jurisdiction: 'fr', channel: 'push', basis: 'legitimate-interest', audience: 'consumer' },
    false,
    ['jurisdiction-rule'],
  ],
  [
    'web',
    { jurisdiction: 'de', channel: 'web', basis: 'legitimate-interest', audience: 'consumer' },
    false,
    ['jurisdiction-rule'],
  ],
];

describe('CONTACT_RULES: one case per row, hitting exactly that row', () => {
  it.each(ROW_CASES)('%s', (row, input, eligible, reasons) => {
    expect(ruleFor(input)).toBe(row);
    expect(decide(input)).toMatchObject({ eligible, basis: input.basis, reasons });
  });

  it('every row has its case (a new row needs a new case)', () => {
    expect(ROW_CASES.map(([row]) => row).sort()).toEqual(CONTACT_RULES.map((r) => r.id).sort());
  });
});

describe('the table itself', () => {
  it('row ids are unique; every row names its source and rule; a refusing row names its reason', () => {
    expect(new Set(CONTACT_RULES.map((r) => r.id)).size).toBe(CONTACT_RULES.length);
    for (const row of CONTACT_RULES) {
      expect(row.source.trim()).not.toBe('');
      expect(row.rule.trim()).not.toBe('');
      if (row.outcome === 'not-allowed' || row.outcome === 'soft-opt-in' || row.outcome === 'with-contract')
        expect(REASONS).toContain(row.reason);
      if (row.outcome === 'with-contract') expect(row.basis).toBe('contract');
      // A contract row refuses only a purpose that sells (C1, C8); service messages need only the contract.
      if (row.basis === 'contract' && !row.when?.directMarketing) expect(row.outcome).toBe('with-contract');
      expect(row.outcome === 'allowed-with-consent').toBe(row.basis === 'consent');
    }
  });

  it('covers every combination: the "not mapped" safety net is never reached', () => {
    let cases = 0;
    for (const jurisdiction of JURISDICTIONS)
      for (const channel of CHANNELS)
        for (const audience of ['consumer', 'professional'] as const)
          for (const basis of LEGAL_BASES)
            for (const date of ['2020-01-01', '2026-08-10', FR_PHONE_CONSENT_FROM, '2030-01-01'])
              for (const softOptInPurpose of [false, true])
                for (const aboutProfession of [false, true])
                  for (const directMarketing of [false, true]) {
                    const c: ContactCase = {
                      jurisdiction,
                      channel,
                      audience,
                      basis,
                      date,
                      softOptInPurpose,
                      aboutProfession,
                      directMarketing,
                    };
                    expect([c, findContactRule(c).id]).not.toEqual([c, NO_RULE.id]);
                    cases += 1;
                  }
    expect(cases).toBe(JURISDICTIONS.length * CHANNELS.length * 2 * 4 * 4 * 2 * 2 * 2);
  });

  it('an unmapped case is refused with jurisdiction-rule (the safety net)', () => {
    const c: ContactCase = {
      jurisdiction: 'fr',
      channel: 'phone',
      audience: 'consumer',
      basis: 'legitimate-interest',
      date: '2026-09-01',
      softOptInPurpose: false,
      aboutProfession: false,
      directMarketing: true,
    };
    expect(findContactRule(c, [])).toBe(NO_RULE);
    expect(NO_RULE).toMatchObject({ outcome: 'not-allowed', reason: 'jurisdiction-rule' });
  });
});

describe('C6, C7: French telephone to consumers switches from opt-out to consent on 11 August 2026 (Paris time)', () => {
  const li = (at: string, over: Partial<Input> = {}) =>
    decide({ jurisdiction: 'fr', channel: 'phone', basis: 'legitimate-interest', audience: 'consumer', at, ...over });

  it('10 August 2026: legitimate interest is enough (opt-out)', () => {
    expect(li('2026-08-10T12:00:00Z')).toEqual({
      eligible: true,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: [],
    });
  });
  it('11 August 2026: legitimate interest is no longer enough', () => {
    expect(li('2026-08-11T12:00:00Z')).toEqual({
      eligible: false,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: ['jurisdiction-rule'],
    });
  });
  it('the switch is at midnight in Paris (22:00 UTC in summer), not at midnight UTC', () => {
    expect(li('2026-08-10T21:59:59.999Z')).toMatchObject({ eligible: true });
    expect(li('2026-08-10T22:00:00.000Z')).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(legalDate(new Date('2026-08-10T22:00:00Z'), 'fr')).toBe('2026-08-11');
    expect(legalDate(new Date('2026-08-10T22:00:00Z'), 'eu')).toBe('2026-08-11');
    expect(legalDate(new Date('2026-01-10T23:30:00Z'), 'de')).toBe('2026-01-11');
    expect(legalDate(new Date('2026-01-10T22:59:59Z'), 'de')).toBe('2026-01-10');
  });
  it('the date kept for a second never outlives that second (checks in a row share it)', () => {
    expect(legalDate(new Date('2026-08-10T21:59:59.000Z'), 'fr')).toBe('2026-08-10');
    expect(legalDate(new Date('2026-08-10T21:59:59.999Z'), 'fr')).toBe('2026-08-10');
    expect(legalDate(new Date('2026-08-10T22:00:00.000Z'), 'fr')).toBe('2026-08-11');
    // Paris kept local mean time (+00:09:21) until 1911: its midnight fell at 23:50:39 UTC, still a second's start.
    expect(legalDate(new Date('1900-06-01T23:50:38.999Z'), 'fr')).toBe('1900-06-01');
    expect(legalDate(new Date('1900-06-01T23:50:39.000Z'), 'fr')).toBe('1900-06-02');
  });
  it('a consent grant is enough on both days; without a grant, consent is missing on both days', () => {
    for (const at of [BEFORE_SWITCH, AFTER_SWITCH]) {
      expect(li(at, { basis: 'consent', state: 'granted' })).toMatchObject({ eligible: true, reasons: [] });
      expect(li(at, { basis: 'consent', state: null })).toMatchObject({ eligible: false, reasons: ['no-consent'] });
    }
  });
  it('C6: a current contract is enough on both days, Bloctel or not; without one, no-contract', () => {
    for (const at of [BEFORE_SWITCH, AFTER_SWITCH]) {
      expect(li(at, { basis: 'contract', contract: true, suppressions: ['opposition-list'] })).toMatchObject({
        eligible: true,
        reasons: [],
      });
      expect(
        li(at, { basis: 'contract', contract: true, directMarketing: true, suppressions: ['opposition-list'] })
      ).toMatchObject({
        eligible: true,
        reasons: [],
      });
      expect(li(at, { basis: 'contract', directMarketing: true, suppressions: ['opposition-list'] })).toMatchObject({
        eligible: false,
        reasons: ['no-contract', 'opposition-list'],
      });
    }
  });
  it('before the switch a number on the opposition list is excluded (Bloctel screening)', () => {
    expect(li(BEFORE_SWITCH, { suppressions: ['opposition-list'] })).toEqual({
      eligible: false,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: ['opposition-list'],
    });
    expect(li(BEFORE_SWITCH, { basis: 'consent', state: 'granted', suppressions: ['opposition-list'] })).toMatchObject({
      eligible: false,
      reasons: ['opposition-list'],
    });
  });
  it('after the switch an opposition-list entry still blocks, even a grant (entries are kept until removed deliberately)', () => {
    expect(li(AFTER_SWITCH, { suppressions: ['opposition-list'] })).toMatchObject({
      reasons: ['jurisdiction-rule', 'opposition-list'],
    });
    expect(li(AFTER_SWITCH, { basis: 'consent', state: 'granted', suppressions: ['opposition-list'] })).toMatchObject({
      eligible: false,
      reasons: ['opposition-list'],
    });
  });
  it('professionals are not concerned by either date', () => {
    for (const at of [BEFORE_SWITCH, AFTER_SWITCH])
      expect(li(at, { audience: 'professional' })).toMatchObject({ eligible: true });
  });
});

describe('C1: the soft opt-in needs every element on record', () => {
  const soft = (evidence: SoftOptInEvidence | null, over: Partial<Input> = {}) =>
    decide({
      jurisdiction: 'fr',
      channel: 'email',
      basis: 'legitimate-interest',
      audience: 'consumer',
      softOptIn: true,
      evidence,
      ...over,
    });

  it('all elements recorded, no objection → eligible', () => {
    expect(soft(COMPLETE)).toEqual({ eligible: true, state: 'none', basis: 'legitimate-interest', reasons: [] });
  });
  it.each([
    ['(a) no sale', { similarProducts: true, objectionOffered: true }],
    ['(a) an empty sale reference', { sale: '', similarProducts: true, objectionOffered: true }],
    ['(b) not own similar products', { sale: true, objectionOffered: true }],
    ['(b) similarProducts false', { sale: true, similarProducts: false, objectionOffered: true }],
    ['(b) similarProducts as the string "true"', { sale: true, similarProducts: 'true', objectionOffered: true }],
    ['(c) no objection offered at collection', { sale: true, similarProducts: true }],
    ['(c) objectionOffered false', { sale: true, similarProducts: true, objectionOffered: false }],
  ] as [string, SoftOptInEvidence][])('%s → soft-opt-in-incomplete', (_, evidence) => {
    expect(soft(evidence)).toEqual({
      eligible: false,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: ['soft-opt-in-incomplete'],
    });
  });
  it('no evidence at all → soft-opt-in-incomplete', () => {
    expect(soft(null)).toMatchObject({ eligible: false, reasons: ['soft-opt-in-incomplete'] });
    expect(missingSoftOptInElements(null)).toEqual(['sale', 'similarProducts', 'objectionOffered']);
    expect(missingSoftOptInElements({ sale: 1, similarProducts: true })).toEqual(['objectionOffered']);
  });
  it('(c) the person objected → objected, even with every other element', () => {
    expect(soft(COMPLETE, { state: 'objected' })).toEqual({
      eligible: false,
      state: 'objected',
      basis: 'legitimate-interest',
      reasons: ['objected'],
    });
  });
  it('the same in every jurisdiction, on SMS too', () => {
    for (const jurisdiction of JURISDICTIONS) {
      expect(soft(COMPLETE, { jurisdiction, channel: 'sms' })).toMatchObject({ eligible: true });
      expect(soft({ sale: true, similarProducts: true }, { jurisdiction, channel: 'sms' })).toMatchObject({
        reasons: ['soft-opt-in-incomplete'],
      });
    }
  });
  it('without the purpose flag the evidence does not count: consent is needed', () => {
    expect(soft(COMPLETE, { softOptIn: false })).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
  });
  it('it is an email/SMS exception: it opens no telephone path', () => {
    expect(soft(COMPLETE, { jurisdiction: 'de', channel: 'phone' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
});

describe('C2: French B2B email about the recipient’s profession', () => {
  const b2b = (over: Partial<Input>) =>
    decide({
      jurisdiction: 'fr',
      channel: 'email',
      basis: 'legitimate-interest',
      purposeAudience: 'professional',
      ...over,
    });

  it('a person recorded as a professional → eligible', () => {
    expect(b2b({ audience: 'professional' })).toMatchObject({ eligible: true });
  });
  it('C2, N9: a person whose audience is unknown is a consumer, whatever the purpose addresses → consent needed', () => {
    expect(b2b({ audience: 'any' })).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(b2b({ audience: null })).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(
      decide({
        jurisdiction: 'de',
        channel: 'phone',
        basis: 'legitimate-interest',
        audience: null,
        purposeAudience: 'professional',
      })
    ).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
  it('a person recorded as a consumer → consent needed', () => {
    expect(b2b({ audience: 'consumer' })).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
  });
  it('a purpose not about the profession → consent needed, even for a professional', () => {
    expect(b2b({ audience: 'professional', purposeAudience: 'any' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
  it('disabled in Germany and in the EU baseline', () => {
    expect(b2b({ audience: 'professional', jurisdiction: 'de' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
    expect(b2b({ audience: 'professional', jurisdiction: 'eu' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
});

describe("C2, N9: which audience the rules apply to: the person's own, unknown is consumer", () => {
  it.each([
    ['consumer', 'consumer'],
    ['professional', 'professional'],
    ['any', 'consumer'],
    [null, 'consumer'],
    [undefined, 'consumer'],
  ] as [Audience | null | undefined, string][])('person %s → %s', (person, expected) => {
    expect(contactAudience(person)).toBe(expected);
  });
});

describe('C4, D9: an objection beats every basis, in every jurisdiction', () => {
  const cases: Input[] = [];
  for (const jurisdiction of JURISDICTIONS)
    for (const basis of LEGAL_BASES)
      for (const channel of ['email', 'phone', 'postal'] as const)
        cases.push({
          jurisdiction,
          basis,
          channel,
          audience: 'professional',
          purposeAudience: 'professional',
          softOptIn: true,
          evidence: COMPLETE,
          state: 'objected',
        });

  it.each(cases.map((c) => [c.jurisdiction, c.basis, c.channel, c] as const))('%s %s %s', (_j, _b, _c, input) => {
    const verdict = decide(input);
    expect(verdict.eligible).toBe(false);
    expect(verdict.state).toBe('objected');
    expect(verdict.reasons[0]).toBe('objected');
  });

  it('the opt-out rows give exactly objected', () => {
    expect(
      decide({ jurisdiction: 'fr', channel: 'postal', basis: 'legitimate-interest', state: 'objected' }).reasons
    ).toEqual(['objected']);
    expect(
      decide({ jurisdiction: 'fr', channel: 'phone', basis: 'legitimate-interest', state: 'objected' }).reasons
    ).toEqual(['objected']);
    expect(
      decide({ jurisdiction: 'fr', channel: 'email', basis: 'contract', state: 'objected', contract: true }).reasons
    ).toEqual(['objected']);
  });
});

describe('suppression beats consent', () => {
  const granted = (suppressions: SuppressionReason[], over: Partial<Input> = {}) =>
    decide({ jurisdiction: 'de', channel: 'email', basis: 'consent', state: 'granted', suppressions, ...over });

  it.each(['unsubscribe', 'objection', 'erasure', 'bounce'] as SuppressionReason[])(
    'a %s entry → suppressed',
    (reason) => {
      expect(granted([reason])).toEqual({
        eligible: false,
        state: 'granted',
        basis: 'consent',
        reasons: ['suppressed'],
      });
    }
  );
  it('an opposition-list entry → opposition-list; both kinds → both codes', () => {
    expect(granted(['opposition-list'])).toMatchObject({ eligible: false, reasons: ['opposition-list'] });
    expect(granted(['bounce', 'opposition-list'])).toMatchObject({
      eligible: false,
      reasons: ['opposition-list', 'suppressed'],
    });
  });
  it('legitimate interest is suppressed too; service messages and legal obligation are not marketing and are not', () => {
    expect(granted(['unsubscribe'], { basis: 'legitimate-interest', channel: 'postal', state: null })).toMatchObject({
      reasons: ['suppressed'],
    });
    expect(granted(['unsubscribe'], { basis: 'contract', state: null, contract: true })).toMatchObject({
      eligible: true,
      reasons: [],
    });
    expect(granted(['opposition-list'], { basis: 'legal-obligation', channel: 'phone', state: null })).toMatchObject({
      eligible: true,
    });
  });
  it('every reason applies at once, in a stable order: consent state, law, suppression', () => {
    expect(
      decide({
        jurisdiction: 'de',
        channel: 'phone',
        basis: 'legitimate-interest',
        audience: 'consumer',
        state: 'objected',
        suppressions: ['erasure'],
      }).reasons
    ).toEqual(['objected', 'jurisdiction-rule', 'suppressed']);
  });
});

describe('C8: German telephone to consumers needs express consent', () => {
  it('granted consent → eligible; legitimate interest → jurisdiction-rule; pending consent → pending-confirmation', () => {
    const phone = (over: Partial<Input>) =>
      decide({ jurisdiction: 'de', channel: 'phone', basis: 'consent', audience: 'consumer', ...over });
    expect(phone({})).toMatchObject({ eligible: true });
    expect(phone({ basis: 'legitimate-interest' })).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(phone({ state: 'pending' })).toMatchObject({ eligible: false, reasons: ['pending-confirmation'] });
    expect(phone({ state: 'withdrawn' })).toMatchObject({ eligible: false, reasons: ['withdrawn'] });
  });
});

describe('C4, C5, C7: a contract basis is not a free pass', () => {
  const contract = (over: Partial<Input> = {}) =>
    decide({ jurisdiction: 'de', channel: 'email', basis: 'contract', audience: 'consumer', state: null, ...over });

  it('C7: without a current contract on record (unknown person, ended contract) → no-contract, in every jurisdiction and on every channel', () => {
    for (const jurisdiction of JURISDICTIONS)
      for (const channel of CHANNELS) {
        expect(contract({ jurisdiction, channel })).toMatchObject({ eligible: false, reasons: ['no-contract'] });
        const selling = contract({ jurisdiction, channel, directMarketing: true });
        expect(selling.eligible).toBe(false);
        expect(selling.reasons).toContain('no-contract');
      }
  });
  it('with a current contract, service messages are allowed and no suppression entry applies to them', () => {
    expect(contract({ contract: true, suppressions: ['unsubscribe', 'objection', 'opposition-list'] })).toMatchObject({
      eligible: true,
      reasons: [],
    });
  });
  it('C4, C5: a direct-marketing contract purpose honours objections and "everything" suppression entries', () => {
    const post = { channel: 'postal', contract: true, directMarketing: true } as const;
    expect(contract(post)).toMatchObject({ eligible: true, reasons: [] });
    expect(contract({ ...post, state: 'objected' })).toMatchObject({
      eligible: false,
      reasons: ['objected'],
    });
    for (const reason of ['unsubscribe', 'objection', 'erasure'] as SuppressionReason[]) {
      expect(contract({ ...post, suppressions: [reason] })).toMatchObject({
        eligible: false,
        reasons: ['suppressed'],
      });
    }
  });
  it('C6: the opposition list never applies to a call within a current contract; it does to legitimate interest', () => {
    const call = {
      jurisdiction: 'fr',
      channel: 'phone',
      at: BEFORE_SWITCH,
      suppressions: ['opposition-list'] as SuppressionReason[],
    } as const;
    expect(contract({ ...call, contract: true, directMarketing: true })).toMatchObject({ eligible: true });
    expect(decide({ ...call, basis: 'legitimate-interest', audience: 'consumer', contract: true })).toMatchObject({
      eligible: false,
      reasons: ['opposition-list'],
    });
  });
  it('an objection still stops a legal-obligation or service purpose (C4 is checked before the basis)', () => {
    expect(contract({ contract: true, state: 'objected' })).toMatchObject({ eligible: false, reasons: ['objected'] });
  });
});

describe('C1, C3: automated calling machines and fax need prior consent', () => {
  it.each(['automated-call', 'fax'] as Channel[])(
    '%s: legitimate interest is never enough, for anyone, anywhere; consent is',
    (channel) => {
      for (const jurisdiction of JURISDICTIONS)
        for (const audience of ['consumer', 'professional'] as const) {
          expect(
            decide({ jurisdiction, channel, basis: 'legitimate-interest', audience, at: BEFORE_SWITCH })
          ).toMatchObject({
            eligible: false,
            reasons: ['jurisdiction-rule'],
          });
          expect(decide({ jurisdiction, channel, basis: 'consent', audience, state: 'granted' })).toMatchObject({
            eligible: true,
          });
        }
    }
  );
});

describe('C7: France bans canvassing for energy-renovation works', () => {
  const reno = (over: Partial<Input>) =>
    decide({
      jurisdiction: 'fr',
      channel: 'phone',
      basis: 'consent',
      audience: 'consumer',
      state: 'granted',
      sector: 'energy-renovation',
      ...over,
    });

  it('a call is never eligible, whatever the consent, the audience, the date or a contract', () => {
    for (const channel of ['phone', 'automated-call'] as Channel[])
      for (const at of [BEFORE_SWITCH, AFTER_SWITCH]) {
        expect(reno({ channel, at })).toMatchObject({ eligible: false, reasons: ['sector-ban'] });
        const professional = reno({ channel, at, audience: 'professional', basis: 'legitimate-interest', state: null });
        expect(professional.eligible).toBe(false);
        expect(professional.reasons).toContain('sector-ban');
        const selling = reno({ channel, at, basis: 'contract', directMarketing: true, state: null, contract: true });
        expect(selling.eligible).toBe(false);
        expect(selling.reasons).toContain('sector-ban');
      }
  });
  it('email and SMS are banned too, except within a current contract (where selling still needs consent, C1)', () => {
    expect(reno({ channel: 'email' })).toMatchObject({ eligible: false, reasons: ['sector-ban'] });
    expect(reno({ channel: 'sms', basis: 'contract', state: null, contract: true })).toMatchObject({ eligible: true });
    expect(
      reno({ channel: 'sms', basis: 'contract', directMarketing: true, state: null, contract: true })
    ).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
  });
  it('postal mail is not concerned; other jurisdictions and other sectors are not concerned', () => {
    expect(reno({ channel: 'postal' })).toMatchObject({ eligible: true });
    expect(reno({ jurisdiction: 'de' })).toMatchObject({ eligible: true });
    expect(
      decide({ jurisdiction: 'fr', channel: 'phone', basis: 'consent', audience: 'consumer', state: 'granted' })
    ).toMatchObject({ eligible: true });
  });
});

describe('C2: a check that names a jurisdiction can only make the answer stricter', () => {
  it('a German consumer asked about under French rules stays under German rules too', () => {
    // French telephone canvassing before 11 August 2026 is opt-out; German law asks for consent.
    const call = { channel: 'phone', basis: 'legitimate-interest', audience: 'consumer', at: BEFORE_SWITCH } as const;
    expect(decide({ ...call, jurisdiction: 'fr' })).toMatchObject({ eligible: true });
    expect(decide({ ...call, jurisdiction: 'de', asked: 'fr' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
  it('a French professional asked about under German rules gets the German refusal (no B2B exception in Germany)', () => {
    const mail = {
      channel: 'email',
      basis: 'legitimate-interest',
      audience: 'professional',
      purposeAudience: 'professional',
    } as const;
    expect(decide({ ...mail, jurisdiction: 'fr' })).toMatchObject({ eligible: true });
    expect(decide({ ...mail, jurisdiction: 'fr', asked: 'de' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
  it('naming the same jurisdiction, or one that allows as well, changes nothing; reasons are not repeated', () => {
    const consent = { channel: 'email', basis: 'consent', state: 'granted', audience: 'consumer' } as const;
    expect(decide({ ...consent, jurisdiction: 'de', asked: 'de' })).toMatchObject({ eligible: true });
    expect(decide({ ...consent, jurisdiction: 'de', asked: 'fr' })).toMatchObject({ eligible: true });
    expect(
      decide({ jurisdiction: 'de', channel: 'email', basis: 'legitimate-interest', audience: 'consumer', asked: 'eu' })
        .reasons
    ).toEqual(['jurisdiction-rule']);
  });
});

describe('C1, C8: a contract purpose that sells needs consent where direct marketing does (CNIL Accor)', () => {
  const selling = (over: Partial<Input>) =>
    decide({ basis: 'contract', directMarketing: true, contract: true, state: null, ...over } as Input);

  it('C1: email and SMS, to consumers and professionals, in every jurisdiction: a contract is not consent', () => {
    for (const jurisdiction of JURISDICTIONS)
      for (const channel of ['email', 'sms'] as const)
        for (const audience of ['consumer', 'professional'] as const) {
          expect(selling({ jurisdiction, channel, audience })).toEqual({
            eligible: false,
            state: 'none',
            basis: 'contract',
            reasons: ['jurisdiction-rule'],
          });
        }
  });
  it('C1: the purpose flag and complete soft opt-in evidence do not open it: the exception is a legitimate-interest purpose’s', () => {
    expect(
      selling({ jurisdiction: 'fr', channel: 'email', audience: 'consumer', softOptIn: true, evidence: COMPLETE })
    ).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
  });
  it('C8: a sales call to a German consumer needs express consent; to a German professional, presumed consent is enough', () => {
    expect(selling({ jurisdiction: 'de', channel: 'phone', audience: 'consumer' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
    expect(selling({ jurisdiction: 'de', channel: 'phone', audience: null })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
    expect(selling({ jurisdiction: 'de', channel: 'phone', audience: 'professional' })).toMatchObject({
      eligible: true,
    });
  });
  it('calling machines, fax, push and the device need consent; postal mail does not', () => {
    for (const channel of ['automated-call', 'fax', 'push', 'web'] as const)
      expect(selling({ jurisdiction: 'fr', channel, audience: 'professional' })).toMatchObject({
        eligible: false,
        reasons: ['jurisdiction-rule'],
      });
    expect(selling({ jurisdiction: 'de', channel: 'postal', audience: 'consumer' })).toMatchObject({ eligible: true });
  });
  it('C7: a French call within a current contract is the statutory exception, before and after 11 August 2026', () => {
    for (const at of [BEFORE_SWITCH, AFTER_SWITCH])
      expect(selling({ jurisdiction: 'fr', channel: 'phone', audience: 'consumer', at })).toMatchObject({
        eligible: true,
      });
  });
  it('C2: French B2B email about the profession needs no consent, as for legitimate interest', () => {
    const b2b = { jurisdiction: 'fr', channel: 'email', audience: 'professional', purposeAudience: 'professional' };
    expect(selling(b2b as Partial<Input>)).toMatchObject({ eligible: true });
    expect(selling({ ...b2b, jurisdiction: 'de' } as Partial<Input>)).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
  it('without a current contract both reasons are given; service messages of a contract are not concerned', () => {
    expect(selling({ jurisdiction: 'de', channel: 'email', contract: false })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule', 'no-contract'],
    });
    expect(
      decide({
        jurisdiction: 'de',
        channel: 'email',
        basis: 'contract',
        audience: 'consumer',
        contract: true,
        state: null,
      })
    ).toMatchObject({ eligible: true, reasons: [] });
  });
});
