/**
 * What one submission changes (spec 4.1; A1–A6, B1, C5, F1–F3): `planSubmission`, one row per rule.
 */
import type { Channel, ConsentState } from '../../shared/contracts/domain';
import { movesState, nextState } from '../../server/src/domain/consent-state';
import {
  informsOfObjection,
  planSubmission,
  stateKey,
  type CurrentState,
  type PlannedEvent,
  type RulePurpose,
  type SubmissionFacts,
} from '../../server/src/domain/capture-rules';

const optIn = (over: Partial<RulePurpose> = {}): RulePurpose => ({
  key: 'newsletter',
  legalBasis: 'consent',
  mechanism: 'opt-in',
  channels: ['email'],
  doubleOptIn: false,
  honorGpc: false,
  ...over,
});
const newsletter = optIn();
const digest = optIn({ key: 'digest', doubleOptIn: true });
const gpcNewsletter = optIn({ key: 'newsletter', honorGpc: true });
const tracking = optIn({ key: 'tracking', channels: ['web'], honorGpc: true });
const postal: RulePurpose = {
  key: 'postal',
  legalBasis: 'legitimate-interest',
  mechanism: 'opt-out',
  channels: ['postal'],
  doubleOptIn: false,
  honorGpc: false,
};
const service: RulePurpose = {
  key: 'service',
  legalBasis: 'contract',
  mechanism: 'none',
  channels: ['email'],
  doubleOptIn: false,
  honorGpc: false,
};
const sms = optIn({ key: 'sms', channels: ['sms', 'phone'] });

interface Row {
  rule: string;
  offered?: RulePurpose[];
  gpcPurposes?: RulePurpose[];
  ticked?: string[];
  /** Defaults to the ticked purposes: a front end displays what it lets people tick. */
  displayed?: string[];
  formDoubleOptIn?: boolean;
  gpc?: boolean;
  /** Purposes answered box by box: purpose → channels ticked (A4). */
  boxes?: Record<string, string[]>;
  identifiers?: { email?: string; phone?: string };
  jurisdiction?: 'eu' | 'fr' | 'de';
  audience?: 'consumer' | 'professional' | 'any';
  /** `purpose:channel` → state, or [state, reconsentRequired]. */
  states?: Record<string, ConsentState | [ConsentState, boolean]>;
  events: [purpose: string, channel: string, action: string, state: string, method: string][];
  decisions: Record<string, string>;
}

const run = (row: Row) =>
  planSubmission({
    offered: row.offered ?? [newsletter],
    gpcPurposes: row.gpcPurposes ?? [],
    ticked: new Set(row.ticked ?? []),
    displayed: new Set(row.displayed ?? row.ticked ?? []),
    formDoubleOptIn: row.formDoubleOptIn ?? false,
    gpc: row.gpc ?? false,
    tickedChannels: row.boxes ? new Map(Object.entries(row.boxes).map(([k, v]) => [k, v as Channel[]])) : undefined,
    identifiers: row.identifiers,
    jurisdiction: row.jurisdiction,
    audience: row.audience,
    states: new Map<string, CurrentState>(
      Object.entries(row.states ?? {}).map(([k, v]) => [
        k,
        Array.isArray(v) ? { state: v[0], reconsentRequired: v[1] } : { state: v, reconsentRequired: false },
      ])
    ),
  } satisfies SubmissionFacts);

const NO_CONSENT: ConsentState[] = ['none', 'refused', 'withdrawn', 'expired', 'revoked'];
const HAS_SOMETHING: ConsentState[] = ['granted', 'pending', 'objected'];

const multi = optIn({ key: 'offers', channels: ['email', 'sms', 'phone'] });
const multiDoi = optIn({ key: 'offers', channels: ['email', 'sms', 'phone'], doubleOptIn: true });
const postalPhone: RulePurpose = { ...postal, key: 'postal', channels: ['postal', 'phone'] };

const rows: Row[] = [
  // Per-channel boxes (A4, B5, N16): each channel recorded on its own.
  {
    rule: 'A4: one box per channel: ticked email → granted, unticked sms and phone shown → refused',
    offered: [multi],
    ticked: ['offers'],
    boxes: { offers: ['email'] },
    events: [
      ['offers', 'email', 'granted', 'granted', 'form'],
      ['offers', 'sms', 'refused', 'refused', 'form'],
      ['offers', 'phone', 'refused', 'refused', 'form'],
    ],
    decisions: { offers: 'granted' },
  },
  {
    rule: 'A4: an unticked channel never changes a consent already given on it',
    offered: [multi],
    ticked: ['offers'],
    boxes: { offers: ['sms'] },
    states: { 'offers:email': 'granted', 'offers:phone': 'pending' },
    events: [['offers', 'sms', 'granted', 'granted', 'form']],
    decisions: { offers: 'granted' },
  },
  {
    rule: 'A4: every box unticked and shown → refused on every channel',
    offered: [multi],
    displayed: ['offers'],
    boxes: { offers: [] },
    events: [
      ['offers', 'email', 'refused', 'refused', 'form'],
      ['offers', 'sms', 'refused', 'refused', 'form'],
      ['offers', 'phone', 'refused', 'refused', 'form'],
    ],
    decisions: { offers: 'refused' },
  },
  {
    rule: 'B1, B5: double opt-in with boxes: ticked email → pending, ticked sms → granted (DOI proves no phone)',
    offered: [multiDoi],
    ticked: ['offers'],
    boxes: { offers: ['email', 'sms'] },
    events: [
      ['offers', 'email', 'requested', 'pending', 'form'],
      ['offers', 'sms', 'granted', 'granted', 'form'],
      ['offers', 'phone', 'refused', 'refused', 'form'],
    ],
    decisions: { offers: 'pending' },
  },
  {
    rule: 'N16: a ticked box whose identifier is missing records nothing (no phone number → no sms/phone consent)',
    offered: [multi],
    ticked: ['offers'],
    boxes: { offers: ['email', 'sms'] },
    identifiers: { email: 'a@example.com' },
    events: [
      ['offers', 'email', 'granted', 'granted', 'form'],
      ['offers', 'phone', 'refused', 'refused', 'form'],
    ],
    decisions: { offers: 'granted' },
  },
  {
    rule: 'A4, C3: opt-out purpose per channel: only the ticked channel is objected to, the other is informed',
    offered: [postalPhone],
    ticked: ['postal'],
    boxes: { postal: ['phone'] },
    events: [
      ['postal', 'postal', 'informed', 'none', 'form'],
      ['postal', 'phone', 'objected', 'objected', 'form'],
    ],
    decisions: { postal: 'objected' },
  },
  // Germany (B1, B5, N16, C8): email always double opt-in, a consumer's phone/SMS pending until verified.
  {
    rule: 'B1: a person in de: email goes through double opt-in even when the form and purpose do not ask',
    ticked: ['newsletter'],
    jurisdiction: 'de',
    events: [['newsletter', 'email', 'requested', 'pending', 'form']],
    decisions: { newsletter: 'pending' },
  },
  {
    rule: 'C8, N16: a consumer in de: phone and sms pending until the number is verified',
    offered: [sms],
    ticked: ['sms'],
    jurisdiction: 'de',
    events: [
      ['sms', 'sms', 'requested', 'pending', 'form'],
      ['sms', 'phone', 'requested', 'pending', 'form'],
    ],
    decisions: { sms: 'pending' },
  },
  {
    rule: 'C2, C8: unknown audience (any) in de is a consumer: pending',
    offered: [sms],
    ticked: ['sms'],
    jurisdiction: 'de',
    audience: 'any',
    events: [
      ['sms', 'sms', 'requested', 'pending', 'form'],
      ['sms', 'phone', 'requested', 'pending', 'form'],
    ],
    decisions: { sms: 'pending' },
  },
  {
    rule: 'C8: a recorded professional in de: phone and sms granted by the tick',
    offered: [sms],
    ticked: ['sms'],
    jurisdiction: 'de',
    audience: 'professional',
    events: [
      ['sms', 'sms', 'granted', 'granted', 'form'],
      ['sms', 'phone', 'granted', 'granted', 'form'],
    ],
    decisions: { sms: 'granted' },
  },
  {
    rule: 'C8: a verified (granted) number in de stays granted when ticked again',
    offered: [sms],
    ticked: ['sms'],
    jurisdiction: 'de',
    states: { 'sms:sms': 'granted' },
    events: [
      ['sms', 'sms', 'granted', 'granted', 'form'],
      ['sms', 'phone', 'requested', 'pending', 'form'],
    ],
    decisions: { sms: 'granted' },
  },
  {
    rule: 'C8: fr consumer: phone and sms granted by the tick (verification is a German rule)',
    offered: [sms],
    ticked: ['sms'],
    jurisdiction: 'fr',
    events: [
      ['sms', 'sms', 'granted', 'granted', 'form'],
      ['sms', 'phone', 'granted', 'granted', 'form'],
    ],
    decisions: { sms: 'granted' },
  },
  // Opt-in (A1, A3): only an explicit tick grants.
  {
    rule: 'A1: opt-in ticked → granted',
    ticked: ['newsletter'],
    events: [['newsletter', 'email', 'granted', 'granted', 'form']],
    decisions: { newsletter: 'granted' },
  },
  {
    rule: 'opt-in ticked again while granted → granted again (a renewed grant)',
    ticked: ['newsletter'],
    states: { 'newsletter:email': 'granted' },
    events: [['newsletter', 'email', 'granted', 'granted', 'form']],
    decisions: { newsletter: 'granted' },
  },
  {
    rule: 'opt-in ticked after a withdrawal → granted',
    ticked: ['newsletter'],
    states: { 'newsletter:email': 'withdrawn' },
    events: [['newsletter', 'email', 'granted', 'granted', 'form']],
    decisions: { newsletter: 'granted' },
  },
  // Double opt-in (B1).
  {
    rule: 'B1: double opt-in purpose ticked → requested, pending',
    offered: [digest],
    ticked: ['digest'],
    events: [['digest', 'email', 'requested', 'pending', 'form']],
    decisions: { digest: 'pending' },
  },
  {
    rule: 'B1: a double opt-in form makes every opt-in purpose pending',
    formDoubleOptIn: true,
    ticked: ['newsletter'],
    events: [['newsletter', 'email', 'requested', 'pending', 'form']],
    decisions: { newsletter: 'pending' },
  },
  {
    rule: 'B1: double opt-in but already granted → granted (re-submitting never un-confirms)',
    offered: [digest],
    ticked: ['digest'],
    states: { 'digest:email': 'granted' },
    events: [['digest', 'email', 'granted', 'granted', 'form']],
    decisions: { digest: 'granted' },
  },
  {
    rule: 'B1 + A11: double opt-in, granted but re-consent required → pending (the new text needs confirming)',
    offered: [digest],
    ticked: ['digest'],
    states: { 'digest:email': ['granted', true] },
    events: [['digest', 'email', 'requested', 'pending', 'form']],
    decisions: { digest: 'pending' },
  },
  {
    rule: 'B1: double opt-in ticked while still pending → requested again',
    offered: [digest],
    ticked: ['digest'],
    states: { 'digest:email': 'pending' },
    events: [['digest', 'email', 'requested', 'pending', 'form']],
    decisions: { digest: 'pending' },
  },
  {
    rule: 'A11: single opt-in, re-consent required → granted (the grant records the new notice)',
    ticked: ['newsletter'],
    states: { 'newsletter:email': ['granted', true] },
    events: [['newsletter', 'email', 'granted', 'granted', 'form']],
    decisions: { newsletter: 'granted' },
  },
  // Unticked opt-in boxes.
  ...NO_CONSENT.map((state): Row => ({
    rule: `A3: opt-in displayed, unticked, state ${state} → refused`,
    displayed: ['newsletter'],
    states: state === 'none' ? {} : { 'newsletter:email': state },
    events: [['newsletter', 'email', 'refused', 'refused', 'form']],
    decisions: { newsletter: 'refused' },
  })),
  ...HAS_SOMETHING.map((state): Row => ({
    rule: `opt-in displayed, unticked, state ${state} → nothing (withdrawing is its own act)`,
    displayed: ['newsletter'],
    states: { 'newsletter:email': state },
    events: [],
    decisions: { newsletter: 'unchanged' },
  })),
  {
    rule: 'opt-in unticked and not displayed → nothing',
    events: [],
    decisions: { newsletter: 'unchanged' },
  },
  // Opt-out (legitimate interest, C5): the box is the objection.
  {
    rule: 'C5: legitimate interest ticked → objected',
    offered: [postal],
    ticked: ['postal'],
    events: [['postal', 'postal', 'objected', 'objected', 'form']],
    decisions: { postal: 'objected' },
  },
  {
    rule: 'C5: legitimate interest ticked, already objected → nothing',
    offered: [postal],
    ticked: ['postal'],
    states: { 'postal:postal': 'objected' },
    events: [],
    decisions: { postal: 'unchanged' },
  },
  {
    rule: 'C3: legitimate interest displayed, unticked, no state row → informed only (no objection is not a choice to record)',
    offered: [postal],
    displayed: ['postal'],
    events: [['postal', 'postal', 'informed', 'none', 'form']],
    decisions: { postal: 'unchanged' },
  },
  {
    rule: 'C3: legitimate interest on two channels displayed, unticked → informed on each channel',
    offered: [postalPhone],
    displayed: ['postal'],
    events: [
      ['postal', 'postal', 'informed', 'none', 'form'],
      ['postal', 'phone', 'informed', 'none', 'form'],
    ],
    decisions: { postal: 'unchanged' },
  },
  {
    rule: 'C3: legitimate interest not displayed → nothing, not even informed',
    offered: [postal],
    displayed: [],
    events: [],
    decisions: { postal: 'unchanged' },
  },
  {
    rule: 'C3: a contract purpose for direct marketing (opt-out) displayed → informed',
    offered: [{ ...postal, key: 'calls', legalBasis: 'contract', channels: ['phone'] }],
    displayed: ['calls'],
    events: [['calls', 'phone', 'informed', 'none', 'form']],
    decisions: { calls: 'unchanged' },
  },
  {
    rule: 'C3: a contract purpose that is not direct marketing (no choice) displayed → nothing',
    offered: [service],
    displayed: ['service'],
    events: [],
    decisions: { service: 'unchanged' },
  },
  {
    rule: 'legitimate interest unticked after an objection → nothing (the objection stands)',
    offered: [postal],
    displayed: ['postal'],
    states: { 'postal:postal': 'objected' },
    events: [],
    decisions: { postal: 'unchanged' },
  },
  {
    rule: 'contract purpose displayed → nothing (no choice to record)',
    offered: [service],
    displayed: ['service'],
    events: [],
    decisions: { service: 'unchanged' },
  },
  // GPC (F1–F3).
  {
    rule: 'F2: GPC objects, method signal, to an honour-GPC purpose on the form',
    offered: [gpcNewsletter],
    gpcPurposes: [gpcNewsletter],
    displayed: ['newsletter'],
    gpc: true,
    events: [['newsletter', 'email', 'objected', 'objected', 'signal']],
    decisions: { newsletter: 'objected' },
  },
  {
    rule: 'F2: GPC objects to an honour-GPC purpose on no form at all',
    offered: [newsletter],
    gpcPurposes: [tracking],
    gpc: true,
    events: [['tracking', 'web', 'objected', 'objected', 'signal']],
    decisions: { newsletter: 'unchanged', tracking: 'objected' },
  },
  {
    rule: 'F2: GPC objects even to a consent already granted (the signal is an objection)',
    offered: [gpcNewsletter],
    gpcPurposes: [gpcNewsletter],
    gpc: true,
    states: { 'newsletter:email': 'granted' },
    events: [['newsletter', 'email', 'objected', 'objected', 'signal']],
    decisions: { newsletter: 'objected' },
  },
  {
    rule: 'F3: an explicit tick in the same request wins over GPC',
    offered: [gpcNewsletter],
    gpcPurposes: [gpcNewsletter],
    ticked: ['newsletter'],
    gpc: true,
    events: [['newsletter', 'email', 'granted', 'granted', 'form']],
    decisions: { newsletter: 'granted' },
  },
  {
    rule: 'F2: GPC, already objected → nothing (a repeated signal adds nothing)',
    offered: [gpcNewsletter],
    gpcPurposes: [gpcNewsletter, tracking],
    gpc: true,
    states: { 'newsletter:email': 'objected', 'tracking:web': 'objected' },
    events: [],
    decisions: { newsletter: 'unchanged', tracking: 'unchanged' },
  },
  {
    rule: 'F2: GPC leaves purposes without "honour GPC" to the ordinary rules',
    offered: [newsletter],
    gpcPurposes: [],
    displayed: ['newsletter'],
    gpc: true,
    events: [['newsletter', 'email', 'refused', 'refused', 'form']],
    decisions: { newsletter: 'refused' },
  },
  {
    rule: 'F1: without the signal, honour-GPC purposes follow the ordinary rules',
    offered: [gpcNewsletter],
    gpcPurposes: [gpcNewsletter, tracking],
    displayed: ['newsletter'],
    gpc: false,
    events: [['newsletter', 'email', 'refused', 'refused', 'form']],
    decisions: { newsletter: 'refused' },
  },
  // Several channels: one event each.
  {
    rule: 'a purpose on two channels, ticked → one grant per channel',
    offered: [sms],
    ticked: ['sms'],
    events: [
      ['sms', 'sms', 'granted', 'granted', 'form'],
      ['sms', 'phone', 'granted', 'granted', 'form'],
    ],
    decisions: { sms: 'granted' },
  },
  {
    rule: 'a purpose on two channels, unticked → refused only where there is no consent',
    offered: [sms],
    displayed: ['sms'],
    states: { 'sms:sms': 'granted' },
    events: [['sms', 'phone', 'refused', 'refused', 'form']],
    decisions: { sms: 'refused' },
  },
  {
    rule: 'B5: double opt-in holds back the email channel only; another channel is granted by the tick',
    offered: [{ ...sms, channels: ['email', 'sms'], doubleOptIn: true }],
    ticked: ['sms'],
    events: [
      ['sms', 'email', 'requested', 'pending', 'form'],
      ['sms', 'sms', 'granted', 'granted', 'form'],
    ],
    decisions: { sms: 'pending' },
  },
  {
    rule: 'B5: double opt-in on a purpose without an email channel changes nothing',
    offered: [{ ...sms, doubleOptIn: true }],
    ticked: ['sms'],
    formDoubleOptIn: true,
    events: [
      ['sms', 'sms', 'granted', 'granted', 'form'],
      ['sms', 'phone', 'granted', 'granted', 'form'],
    ],
    decisions: { sms: 'granted' },
  },
  {
    rule: 'GPC on a purpose on two channels → one objection per channel',
    offered: [],
    gpcPurposes: [{ ...sms, honorGpc: true }],
    gpc: true,
    events: [
      ['sms', 'sms', 'objected', 'objected', 'signal'],
      ['sms', 'phone', 'objected', 'objected', 'signal'],
    ],
    decisions: { sms: 'objected' },
  },
];

describe('planSubmission', () => {
  it.each(rows.map((r) => [r.rule, r] as const))('%s', (_rule, row) => {
    const plan = run(row);
    const shape = (e: PlannedEvent) => [e.purpose, e.channel, e.action, e.state, e.method];
    expect(plan.events.map(shape)).toEqual(row.events);
    expect(Object.fromEntries(plan.decisions)).toEqual(row.decisions);
  });

  it('every event carries the legal basis of its purpose', () => {
    const plan = run({
      rule: '',
      offered: [newsletter, postal],
      ticked: ['newsletter', 'postal'],
      events: [],
      decisions: {},
    });
    expect(plan.events.map((e) => [e.purpose, e.legalBasis])).toEqual([
      ['newsletter', 'consent'],
      ['postal', 'legitimate-interest'],
    ]);
  });

  it('a GPC purpose that is also offered is recorded once, not twice', () => {
    const plan = run({
      rule: '',
      offered: [gpcNewsletter, postal],
      gpcPurposes: [gpcNewsletter],
      displayed: ['newsletter'],
      gpc: true,
      events: [],
      decisions: {},
    });
    expect(plan.events).toHaveLength(1);
    expect(plan.events[0]).toMatchObject({ purpose: 'newsletter', method: 'signal' });
    expect(plan.decisions.get('postal')).toBe('unchanged');
  });

  it('the state of another channel or purpose is never read for this one', () => {
    const plan = run({
      rule: '',
      displayed: ['newsletter'],
      states: { 'newsletter:sms': 'granted', 'other:email': 'granted' },
      events: [],
      decisions: {},
    });
    expect(plan.events.map((e) => e.action)).toEqual(['refused']);
  });

  it('C3: informsOfObjection: opt-out, shown, no state row and not objecting now; nothing else', () => {
    const none = undefined;
    expect(informsOfObjection(postal, true, none, false)).toBe(true);
    expect(informsOfObjection(postal, false, none, false)).toBe(false);
    expect(informsOfObjection(postal, true, none, true)).toBe(false);
    for (const state of ['objected', 'none', 'granted'] as ConsentState[]) {
      expect(informsOfObjection(postal, true, { state, reconsentRequired: false }, false)).toBe(false);
    }
    expect(informsOfObjection(newsletter, true, none, false)).toBe(false);
    expect(informsOfObjection(service, true, none, false)).toBe(false);
  });

  it('C3: a ticked objection is recorded without an informed event; GPC objections neither', () => {
    expect(
      run({ rule: '', offered: [postal], ticked: ['postal'], events: [], decisions: {} }).events.map((e) => e.action)
    ).toEqual(['objected']);
    const gpcPostal = { ...postal, honorGpc: true };
    const plan = run({
      rule: '',
      offered: [gpcPostal],
      gpcPurposes: [gpcPostal],
      displayed: ['postal'],
      gpc: true,
      events: [],
      decisions: {},
    });
    expect(plan.events.map((e) => [e.action, e.method])).toEqual([['objected', 'signal']]);
  });

  it('C3: informed never moves the state (replay skips it like contacted)', () => {
    expect(movesState('informed')).toBe(false);
    const row = nextState(null, {
      seq: 3,
      action: 'informed',
      state: 'none',
      legalBasis: 'legitimate-interest',
      occurredAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(row).toMatchObject({ state: 'none', lastEventSeq: 0, noticeId: null });
  });

  it('stateKey is purpose:channel', () => {
    expect(stateKey('sms', 'phone')).toBe('sms:phone');
  });
});

describe('confirmedByPhoneVerification (C8, N16, B5)', () => {
  it('confirms only pending phone and SMS consent, never email or any other state', () => {
    const { confirmedByPhoneVerification } = jest.requireActual('../../server/src/domain/phone-verification');
    const states = [
      { purpose: 'sms', channel: 'sms', state: 'pending' },
      { purpose: 'sms', channel: 'phone', state: 'pending' },
      { purpose: 'newsletter', channel: 'email', state: 'pending' },
      { purpose: 'calls', channel: 'phone', state: 'refused' },
      { purpose: 'calls', channel: 'sms', state: 'withdrawn' },
    ];
    expect(
      confirmedByPhoneVerification(states).map((s: { purpose: string; channel: string }) => `${s.purpose}:${s.channel}`)
    ).toEqual(['sms:sms', 'sms:phone']);
  });
});

describe('grantWaitsForPhoneVerification: one rule for forms, the preference centre and imports (B5, N16)', () => {
  const { grantWaitsForPhoneVerification } = jest.requireActual('../../server/src/domain/phone-verification');
  it.each([
    ['B5/N16: a de consumer, sms, no state', { channel: 'sms', jurisdiction: 'de', audience: 'consumer' }, true],
    [
      'B5/N16/C2: unknown audience counts as a consumer',
      { channel: 'phone', jurisdiction: 'de', audience: 'any' },
      true,
    ],
    [
      'B5/N16: already pending waits again',
      { channel: 'sms', jurisdiction: 'de', current: { state: 'pending' } },
      true,
    ],
    [
      'B5/N16: a granted consent needing re-consent waits',
      { channel: 'sms', jurisdiction: 'de', current: { state: 'granted', reconsentRequired: true } },
      true,
    ],
    [
      'B5/N16: a current grant is never un-confirmed',
      { channel: 'sms', jurisdiction: 'de', current: { state: 'granted', reconsentRequired: false } },
      false,
    ],
    [
      'B5/N16: a grant carrying its verification (import) does not wait',
      { channel: 'sms', jurisdiction: 'de', verified: true },
      false,
    ],
    [
      'B5/C2: a professional in de does not wait',
      { channel: 'sms', jurisdiction: 'de', audience: 'professional' },
      false,
    ],
    ['B5/C2: a French consumer does not wait', { channel: 'sms', jurisdiction: 'fr', audience: 'consumer' }, false],
    ['B5: email never waits for a number', { channel: 'email', jurisdiction: 'de' }, false],
  ])('%s', (_rule, grant, waits) => {
    expect(grantWaitsForPhoneVerification(grant)).toBe(waits);
  });
});
