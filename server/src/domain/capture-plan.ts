import type { Audience, Channel, ConsentState, Jurisdiction } from '../../../shared/contracts/domain';
import type { EventDecision } from '../../../shared/contracts/events';
import type { Purpose } from '../../../shared/contracts/purposes';
import { planSubmission, stateKey, type CurrentState, type Decision, type RulePurpose } from './capture-rules';
import { needsOwnConfirmation, type AgeThreshold, type ChildStatus } from './children-rules';
import { movesState } from './consent-state';
import type { ReceiptPurpose, VerifiedNotice } from './receipt';
import { needsReconsent } from './reconsent';

/**
 * What recording one submission writes, decided from plain data: the capture service loads the person,
 * their states and the catalogue's answers, this decides, and the service signs and writes the outcome in
 * one group write. The rules themselves are capture-rules.ts's (A1–A6, B1, B5, C3, F1–F3, G2); this adds
 * what follows from them for one person: which states a new notice or a person's coming of age reopens
 * (A11, G5), the confirmation mail's and the parent's requests (B1–B3, G2, G4), the proof each event
 * carries (C3, G1) and the receipt's view of every purpose in play (A9, spec 4.1).
 */

/** A stored state as the ledger holds it, for the plan: its state, notice and the event that set it. */
export interface StoredState {
  state: ConsentState;
  noticeId: number | string | null;
  lastEventSeq: number | string;
}

/**
 * What a checked submission answered, as both the capture service's plan and the facts here hold it: the
 * purposes offered and ticked, the notices shown, the age question (capture.prepare fills it).
 */
export interface CheckedSubmission {
  locale: string;
  offered: Purpose[];
  gpcPurposes: Purpose[];
  ticked: Set<string>;
  /**
   * Purposes answered box by box (`choices.<purpose>` = `{ "<channel>": boolean }`; A4, B5, N16): the
   * channels ticked. Absent: a tick covers every channel.
   */
  tickedChannels: Map<string, Channel[]>;
  notices: Map<string, VerifiedNotice>;
  /** The notice versions of the purposes in play that a material change outdated (A11, domain/reconsent.ts). */
  outdatedNotices: ReadonlySet<number>;
  pageUrl: string | null;
  gpc: boolean;
  /**
   * A form offered to children (G1): the outcome of the age question (merged with what the person's
   * record already said), whether a tick waits for a parent (G2), and the parent's address to mail.
   */
  children: {
    threshold: AgeThreshold;
    status: ChildStatus;
    parental: boolean;
    parentEmail: string | null;
  } | null;
}

export interface CaptureFacts {
  /** The submission as the service checked it (capture.prepare). */
  submission: CheckedSubmission & {
    formKey: string;
    formDoubleOptIn: boolean;
    identifiers: { email?: string | null; phone?: string | null; externalId?: string | null };
    /** What the form declares, else what the page sent (C2). */
    jurisdiction?: Jurisdiction;
    audience?: Audience;
    context: Record<string, unknown>;
    /** Stored with every event (the form hook's link to its entry). */
    evidence?: Record<string, unknown>;
  };
  /** The person the submission is recorded for, as their record says now (C2). */
  person: {
    pseudonym: string;
    jurisdiction: Jurisdiction | null;
    audience: Audience | null;
    childStatus: Partial<ChildStatus> | null;
  };
  /** The site's jurisdiction, when neither the person nor the submission has one. */
  siteJurisdiction: Jurisdiction;
  /** The person's stored state of a purpose on a channel (after the submissions before this one in its group). */
  state: (purpose: string, channel: Channel) => StoredState | null;
  /** G2, G5: the `seq` of the granting events a parent gave, of this person's grants (child-flagged people). */
  parentGrants: ReadonlySet<number>;
  receiptId: string;
  now: Date;
}

/** One purpose of a mailed request, with the notice the person was shown (B3). */
export interface RequestedNotice {
  purpose: string;
  noticeId: number | null;
  noticeVersion: number | null;
  noticeHash: string | null;
  noticeLanguage: string | null;
}

/** An event to append, as the ledger takes it, before the link evidence is known. */
export interface CaptureEvent extends EventDecision {
  subject: string;
  actor: 'signal' | 'subject';
  noticeId: number | null;
  noticeVersion: number | null;
  noticeHash: string | null;
  noticeLanguage: string | null;
  formKey: string;
  pageUrl: string | null;
  context: Record<string, unknown>;
  evidence: Record<string, unknown> | null;
  receiptId: string;
  lifetimeDays: number | null;
}

export interface CaptureDecision {
  /** The events to append, in order, without the evidence of the links the service issues (`withLinks`). */
  events: CaptureEvent[];
  /** B1–B3: a confirmation mail for these purposes (email channel, not a child's), or none. */
  confirmation: { email: string; purposes: RequestedNotice[] } | null;
  /** G2, G4: a request to the parent for these purposes and channels, or none. */
  parental: {
    parentEmail: string;
    threshold: number;
    country: string | null;
    purposes: (RequestedNotice & { channels: Channel[] })[];
  } | null;
  /** The receipt's purposes (A9): every purpose offered, and every other one this submission decided. */
  receiptPurposes: ReceiptPurpose[];
  /** The state shown per purpose in the answer. */
  states: Record<string, ConsentState>;
}

/** What the issued links put on the events: the confirmation's (B2) and the parent's request's (G2). */
export interface LinkEvidence {
  doubleOptIn: { tokenHash: string; expiresAt: string } | null;
  parentalConsent: { tokenHash: string; expiresAt: string; parentEmailHash: string } | null;
}

const toRulePurpose = (p: Purpose): RulePurpose => ({
  key: p.key,
  legalBasis: p.legalBasis,
  mechanism: p.mechanism,
  channels: p.channels,
  doubleOptIn: p.doubleOptIn,
  honorGpc: p.honorGpc,
});

const noticeOf = (notices: Map<string, VerifiedNotice>, purpose: string): RequestedNotice => {
  const notice = notices.get(purpose);
  return {
    purpose,
    noticeId: notice?.id ?? null,
    noticeVersion: notice?.version ?? null,
    noticeHash: notice?.hash ?? null,
    noticeLanguage: notice?.language ?? null,
  };
};

/** The purposes a submission is decided on: the form's, then the GPC purposes not on it (F1). */
export const purposesInPlay = (submission: Pick<CaptureFacts['submission'], 'offered' | 'gpcPurposes'>): Purpose[] => [
  ...submission.offered,
  ...submission.gpcPurposes.filter((g) => !submission.offered.some((o) => o.key === g.key)),
];

/** Decides everything one submission records for one person. Pure: the same facts, the same decision. */
export const planCapture = (facts: CaptureFacts): CaptureDecision => {
  const { submission: plan, person, now } = facts;
  const inPlay = purposesInPlay(plan);
  const byKey = new Map(inPlay.map((p) => [p.key, p]));

  // A11: a grant under an outdated notice asks again; G5: so does a parent's grant once the person is of
  // age; G2: below it, a grant that is not a parent's does not count (capture-rules.ts).
  const states = new Map<string, CurrentState>();
  for (const purpose of inPlay) {
    for (const channel of purpose.channels) {
      const row = facts.state(purpose.key, channel);
      if (!row) continue;
      const grantedByParent = facts.parentGrants.has(Number(row.lastEventSeq));
      const reconsentRequired =
        needsReconsent(row.noticeId, plan.outdatedNotices) ||
        needsOwnConfirmation(person.childStatus, grantedByParent, now);
      states.set(stateKey(purpose.key, channel), { state: row.state, reconsentRequired, grantedByParent });
    }
  }

  const planned = planSubmission({
    offered: plan.offered.map(toRulePurpose),
    gpcPurposes: plan.gpcPurposes.map(toRulePurpose),
    ticked: plan.ticked,
    tickedChannels: plan.tickedChannels,
    identifiers: plan.identifiers,
    // What the person's record says (C2): the form's declaration, else the submission's, else the site's.
    jurisdiction: person.jurisdiction ?? plan.jurisdiction ?? facts.siteJurisdiction,
    audience: person.audience ?? plan.audience ?? null,
    displayed: new Set(plan.notices.keys()),
    formDoubleOptIn: plan.formDoubleOptIn,
    gpc: plan.gpc,
    parentalConsent: !!plan.children?.parental,
    states,
  });

  // Double opt-in: one confirmation request for every purpose this submission left pending on email (a
  // phone number waiting for verification is not confirmed by mail: B5, N16). A child's request waits
  // for a parent instead (G2): the parent's confirmation is the mail that counts.
  const requested = plan.children?.parental
    ? []
    : [
        ...new Set(
          planned.events.filter((e) => e.action === 'requested' && e.channel === 'email').map((e) => e.purpose)
        ),
      ];
  const confirmation =
    requested.length && plan.identifiers.email
      ? { email: plan.identifiers.email, purposes: requested.map((p) => noticeOf(plan.notices, p)) }
      : null;

  // G2, G4: one request to the parent for every channel the child's ticks left pending.
  const forParent = plan.children?.parental ? planned.events.filter((e) => e.action === 'requested') : [];
  const parental =
    forParent.length && plan.children?.parentEmail
      ? {
          parentEmail: plan.children.parentEmail,
          threshold: plan.children.threshold.threshold,
          country: plan.children.threshold.country,
          purposes: [...new Set(forParent.map((e) => e.purpose))].map((p) => ({
            ...noticeOf(plan.notices, p),
            channels: forParent.filter((e) => e.purpose === p).map((e) => e.channel),
          })),
        }
      : null;

  const events: CaptureEvent[] = planned.events.map((e) => {
    const notice = noticeOf(plan.notices, e.purpose);
    const purpose = byKey.get(e.purpose);
    // C3: every record of an opt-out purpose (being told of the right to object, objecting) names the
    // balancing test the purpose relies on, next to the form hook's evidence.
    const evidence =
      (e.action === 'informed' || e.action === 'objected') && purpose?.mechanism === 'opt-out'
        ? { ...plan.evidence, balancingTest: purpose.balancingTest ?? null }
        : plan.evidence;
    return {
      ...e,
      subject: person.pseudonym,
      actor: e.method === 'signal' ? 'signal' : 'subject',
      noticeId: notice.noticeId,
      noticeVersion: notice.noticeVersion,
      noticeHash: notice.noticeHash,
      noticeLanguage: notice.noticeLanguage,
      formKey: plan.formKey,
      pageUrl: plan.pageUrl,
      context: { ...plan.context },
      evidence: evidence ?? null,
      receiptId: facts.receiptId,
      lifetimeDays: purpose?.lifetimeDays ?? null,
    };
  });

  const resultStates: Record<string, ConsentState> = {};
  const receiptPurposes: ReceiptPurpose[] = [];
  for (const purpose of inPlay) {
    const decision: Decision = planned.decisions.get(purpose.key) ?? 'unchanged';
    if (!plan.offered.includes(purpose) && decision === 'unchanged') continue;
    // The state shown for the purpose: its first channel this submission recorded, else its first channel.
    // An `informed` event (C3) is proof only: it decides neither the state nor the method shown.
    const decided = events.filter((e) => e.purpose === purpose.key && movesState(e.action));
    const channel = decided[0]?.channel ?? purpose.channels[0];
    const latest = decided.filter((e) => e.channel === channel).pop();
    const state = latest?.state ?? states.get(stateKey(purpose.key, channel))?.state ?? 'none';
    resultStates[purpose.key] = state;
    receiptPurposes.push({
      key: purpose.key,
      name: purpose.name,
      legalBasis: purpose.legalBasis,
      directMarketing: purpose.directMarketing,
      channels: purpose.channels,
      lifetimeDays: purpose.lifetimeDays,
      decision,
      state,
      method: latest ? (latest.method === 'signal' ? 'signal' : 'form') : null,
      notice: plan.notices.get(purpose.key) ?? null,
    });
  }

  return { events, confirmation, parental, receiptPurposes, states: resultStates };
};

/**
 * The events with the proof of the links issued for them: a `requested` email event carries its
 * confirmation token's hash (B2); on a children's form every event carries the age gate's outcome, never
 * the age (G1), and a `requested` one the parent's request (G2).
 */
export const withLinks = (
  events: CaptureEvent[],
  links: LinkEvidence,
  children: CaptureFacts['submission']['children']
): CaptureEvent[] => {
  const ageCheck = children
    ? {
        child: children.status.child,
        reachesThresholdOn: children.status.childUntil?.toISOString().slice(0, 10) ?? null,
        threshold: children.threshold.threshold,
        country: children.threshold.country,
      }
    : null;
  if (!links.doubleOptIn && !ageCheck) return events;
  return events.map((e) => {
    const base =
      e.action === 'requested' && e.channel === 'email' && links.doubleOptIn
        ? { ...e.evidence, doubleOptIn: links.doubleOptIn }
        : e.evidence;
    const evidence = ageCheck
      ? {
          ...base,
          ageCheck,
          ...(e.action === 'requested' && links.parentalConsent ? { parentalConsent: links.parentalConsent } : {}),
        }
      : base;
    return { ...e, evidence: evidence ?? null };
  });
};
