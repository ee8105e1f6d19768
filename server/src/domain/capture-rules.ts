import type { Channel, ConsentState, LegalBasis } from '../../../shared/contracts/domain';
import type { EventDecision } from '../../../shared/contracts/events';

/**
 * What one form submission changes, decided without touching the database: the rules of spec 4.1 and of
 * requirements A1–A6 and F1–F3 in one place, so they can be read (and tested) as a whole.
 *
 * - Opt-in purposes (legal basis `consent`): only an explicit tick grants (A1, A3). With double opt-in the
 *   email channel waits as `pending` until the address is confirmed (B1), except for a person whose
 *   consent is already granted: re-submitting never un-confirms them. Double opt-in is an email
 *   procedure: it neither holds back nor proves another channel of the same purpose (B5), which is
 *   granted by the tick like any other consent (method `form`, without a confirmation). An unticked box the person was shown is recorded as `refused`
 *   when they have no consent, and never changes a consent already given, pending or objected to:
 *   withdrawing is its own deliberate act.
 * - Opt-out purposes (legitimate interest): the box is the objection. Ticking it objects (C5); leaving it
 *   unticked changes nothing.
 * - Purposes without a choice (contract, legal obligation) cannot be ticked (the caller refuses that).
 * - GPC (F1–F3): the signal objects, with method `signal`, to every purpose flagged "honour GPC", on the
 *   form or not, unless the same request explicitly ticks that purpose. A purpose already objected to is
 *   left alone, so a repeated signal adds nothing.
 */
export interface RulePurpose {
  key: string;
  legalBasis: LegalBasis;
  mechanism: 'opt-in' | 'opt-out' | 'none';
  channels: Channel[];
  doubleOptIn: boolean;
  honorGpc: boolean;
}

export interface CurrentState {
  state: ConsentState;
  reconsentRequired: boolean;
}

export interface SubmissionFacts {
  /** The purposes the form offers, in order. */
  offered: RulePurpose[];
  /** Every active purpose flagged "honour GPC" (they may be on no form at all). */
  gpcPurposes: RulePurpose[];
  /** Purpose keys the person ticked (explicit `true` only). */
  ticked: Set<string>;
  /** Purpose keys whose notice the front end says it displayed (ticked or not). */
  displayed: Set<string>;
  formDoubleOptIn: boolean;
  gpc: boolean;
  /** The subject's current state per `purpose:channel`; absent means `none`. */
  states: Map<string, CurrentState>;
}

export type PlannedEvent = EventDecision;

/** `granted` etc. when the purpose changed, `unchanged` when the submission left it as it was. */
export type Decision = ConsentState | 'unchanged';

export interface SubmissionPlan {
  events: PlannedEvent[];
  /** Per purpose (offered or GPC-objected): what this submission decided. */
  decisions: Map<string, Decision>;
}

const NO_CONSENT: ConsentState[] = ['none', 'refused', 'withdrawn', 'expired', 'revoked'];

export const stateKey = (purpose: string, channel: Channel) => `${purpose}:${channel}`;

export const planSubmission = (facts: SubmissionFacts): SubmissionPlan => {
  const events: PlannedEvent[] = [];
  const decisions = new Map<string, Decision>();
  const current = (purpose: string, channel: Channel): CurrentState =>
    facts.states.get(stateKey(purpose, channel)) ?? { state: 'none', reconsentRequired: false };

  const record = (purpose: RulePurpose, decide: (channel: Channel) => Omit<PlannedEvent, 'purpose' | 'channel' | 'legalBasis'> | null) => {
    let decision: Decision = 'unchanged';
    for (const channel of purpose.channels) {
      const planned = decide(channel);
      if (!planned) continue;
      events.push({ purpose: purpose.key, channel, legalBasis: purpose.legalBasis, ...planned });
      if (decision === 'unchanged') decision = planned.state;
    }
    decisions.set(purpose.key, decision);
  };

  const gpcObjects = (purpose: RulePurpose) => facts.gpc && purpose.honorGpc && !facts.ticked.has(purpose.key);

  for (const purpose of facts.offered) {
    const ticked = facts.ticked.has(purpose.key);
    if (gpcObjects(purpose)) continue; // handled with the other GPC purposes below
    if (purpose.mechanism === 'opt-in' && ticked) {
      const doubleOptIn = purpose.doubleOptIn || facts.formDoubleOptIn;
      record(purpose, (channel) => {
        const { state, reconsentRequired } = current(purpose.key, channel);
        const alreadyGiven = state === 'granted' && !reconsentRequired;
        return doubleOptIn && channel === 'email' && !alreadyGiven
          ? { action: 'requested', state: 'pending', method: 'form' }
          : { action: 'granted', state: 'granted', method: 'form' };
      });
    } else if (purpose.mechanism === 'opt-in' && facts.displayed.has(purpose.key)) {
      record(purpose, (channel) =>
        NO_CONSENT.includes(current(purpose.key, channel).state)
          ? { action: 'refused', state: 'refused', method: 'form' }
          : null
      );
    } else if (purpose.mechanism === 'opt-out' && ticked) {
      record(purpose, (channel) =>
        current(purpose.key, channel).state === 'objected'
          ? null
          : { action: 'objected', state: 'objected', method: 'form' }
      );
    } else {
      decisions.set(purpose.key, 'unchanged');
    }
  }

  for (const purpose of facts.gpcPurposes) {
    if (!gpcObjects(purpose)) continue;
    record(purpose, (channel) =>
      current(purpose.key, channel).state === 'objected'
        ? null
        : { action: 'objected', state: 'objected', method: 'signal' }
    );
  }

  return { events, decisions };
};
