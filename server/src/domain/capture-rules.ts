import type { Audience, Channel, ConsentState, Jurisdiction, LegalBasis } from '../../../shared/contracts/domain';
import type { EventDecision } from '../../../shared/contracts/events';
import { channelReachable, type ChannelIdentifier } from './channel-identifiers';
import { grantWaitsForPhoneVerification } from './phone-verification';

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
 *   unticked changes no state, but a person shown the notice for the first time gets an `informed` event
 *   per channel: the proof of when the right to object was first brought to their attention (C3,
 *   `informsOfObjection`).
 * - Per-channel boxes (A4, B5, N16): a purpose on several channels is offered as one box per channel and
 *   each channel is decided on its own, exactly as a one-box purpose is: a ticked channel is granted (or
 *   pending), an unticked channel the person was shown is refused where they have no consent. A plain
 *   `true` ticks every channel. A ticked channel whose identifier the person did not give (no address
 *   for email, no number for phone/SMS) records nothing (channel-identifiers.ts).
 * - Germany (B1, B5, N16, C8; UWG §7 and §7a): for a person in jurisdiction `de`, email consent always goes
 *   through double opt-in, and a consumer's phone or SMS consent stays `pending` until the number is
 *   verified (`POST /api/consent/phone-verifications`): an email confirmation never proves it. That rule
 *   is phone-verification.ts's, shared with the preference centre and imports.
 * - Purposes without a choice (contract, legal obligation) cannot be ticked (the caller refuses that).
 * - Children (G2, children-rules.ts): on a form offered to children, the tick of a person below the age of
 *   digital consent only requests consent: every ticked channel waits as `pending` for a holder of
 *   parental responsibility, whatever double opt-in says. A consent a parent granted is left as it is; a
 *   grant of the child's own (given where no age was asked) is not consent, so the tick asks the parent
 *   as if there were none. Refusing needs nobody's consent and is recorded as for anyone.
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
  /** G2: the grant that stands was a parent's confirmation (known for child-flagged people only). */
  grantedByParent?: boolean;
}

export interface SubmissionFacts {
  /** The purposes the form offers, in order. */
  offered: RulePurpose[];
  /** Every active purpose flagged "honour GPC" (they may be on no form at all). */
  gpcPurposes: RulePurpose[];
  /** Purpose keys the person ticked (explicit `true`, or at least one ticked box). */
  ticked: Set<string>;
  /**
   * Purposes answered box by box (`{ "<channel>": boolean }`): the channels whose box was ticked. Absent
   * for a purpose: a tick covers every channel, no tick none.
   */
  tickedChannels?: Map<string, Channel[]>;
  /** The identifiers the person gave; when present, a ticked channel without its identifier records nothing. */
  identifiers?: Partial<Record<ChannelIdentifier, string | null | undefined>>;
  /** The person's recorded jurisdiction and audience (C2): `de` changes email and phone consent (B1, C8). */
  jurisdiction?: Jurisdiction | null;
  audience?: Audience | null;
  /** Purpose keys whose notice the front end says it displayed (ticked or not). */
  displayed: Set<string>;
  formDoubleOptIn: boolean;
  gpc: boolean;
  /** G2: the person is below the age of digital consent on a children's form: a tick only requests. */
  parentalConsent?: boolean;
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

/** Does email consent for this purpose go through double opt-in? Always for a person in `de` (B1). */
export const doubleOptInApplies = (
  purpose: { doubleOptIn: boolean },
  formDoubleOptIn: boolean,
  jurisdiction?: Jurisdiction | null
): boolean => purpose.doubleOptIn || formDoubleOptIn || jurisdiction === 'de';

/**
 * How a purpose was answered, box by box: the channels ticked and the channels left unticked. `true`
 * ticks every channel; `false` or absent none.
 */
export const answeredChannels = (
  channels: readonly Channel[],
  ticked: boolean,
  boxes?: readonly Channel[]
): { ticked: Channel[]; unticked: Channel[] } => {
  const on = boxes ? channels.filter((c) => boxes.includes(c)) : ticked ? [...channels] : [];
  return { ticked: on, unticked: channels.filter((c) => !on.includes(c)) };
};

/**
 * Does showing an opt-out purpose's notice record an `informed` event on this channel (C3, Art. 21(4))?
 * Only for a person with no state row for it (`current` absent), and not for a channel objected to in the
 * same submission (the objection carries the notice itself).
 *
 * Why "no state row" and not "never informed": an `informed` event creates no state row, so the rule can
 * be decided from the states capture already loads, without one more query per submission on the hot path.
 * The price is that a person who keeps submitting forms without ever objecting gets one `informed` row
 * per channel on each submission that shows the notice; the earliest one is the first-shown time the law
 * asks for and the later ones are harmless proof of each display. Anyone with a row (an objection, or
 * any state recorded for the purpose) already has events that carry the notice they were shown.
 */
export const informsOfObjection = (
  purpose: Pick<RulePurpose, 'mechanism'>,
  shown: boolean,
  current: CurrentState | undefined,
  objectingNow: boolean
): boolean => purpose.mechanism === 'opt-out' && shown && !current && !objectingNow;

export const planSubmission = (facts: SubmissionFacts): SubmissionPlan => {
  const events: PlannedEvent[] = [];
  const decisions = new Map<string, Decision>();
  const current = (purpose: string, channel: Channel): CurrentState =>
    facts.states.get(stateKey(purpose, channel)) ?? { state: 'none', reconsentRequired: false };

  const record = (
    purpose: RulePurpose,
    decide: (channel: Channel) => Omit<PlannedEvent, 'purpose' | 'channel' | 'legalBasis'> | null
  ) => {
    let decision: Decision = 'unchanged';
    for (const channel of purpose.channels) {
      const planned = decide(channel);
      if (!planned) continue;
      events.push({ purpose: purpose.key, channel, legalBasis: purpose.legalBasis, ...planned });
      // A purpose answered box by box: what was given outranks what was refused.
      if (decision === 'unchanged' || decision === 'refused') decision = planned.state;
    }
    decisions.set(purpose.key, decision);
  };

  const gpcObjects = (purpose: RulePurpose) => facts.gpc && purpose.honorGpc && !facts.ticked.has(purpose.key);

  for (const purpose of facts.offered) {
    const ticked = facts.ticked.has(purpose.key);
    if (gpcObjects(purpose)) continue; // handled with the other GPC purposes below
    const answer = answeredChannels(purpose.channels, ticked, facts.tickedChannels?.get(purpose.key));
    const shown = facts.displayed.has(purpose.key);
    if (purpose.mechanism === 'opt-in' && (ticked || shown)) {
      const doubleOptIn = doubleOptInApplies(purpose, facts.formDoubleOptIn, facts.jurisdiction);
      record(purpose, (channel) => {
        const { state, reconsentRequired, grantedByParent } = current(purpose.key, channel);
        if (answer.ticked.includes(channel)) {
          if (facts.identifiers && !channelReachable(channel, facts.identifiers)) return null;
          const alreadyGiven = state === 'granted' && !reconsentRequired;
          // Below the threshold only a parent's grant is consent (G2): the child's own grant asks again.
          if (facts.parentalConsent)
            return alreadyGiven && grantedByParent ? null : { action: 'requested', state: 'pending', method: 'form' };
          const waits =
            (doubleOptIn && channel === 'email' && !alreadyGiven) ||
            grantWaitsForPhoneVerification({
              channel,
              jurisdiction: facts.jurisdiction,
              audience: facts.audience,
              current: { state, reconsentRequired },
            });
          return waits
            ? { action: 'requested', state: 'pending', method: 'form' }
            : { action: 'granted', state: 'granted', method: 'form' };
        }
        return shown && NO_CONSENT.includes(state) ? { action: 'refused', state: 'refused', method: 'form' } : null;
      });
    } else if (purpose.mechanism === 'opt-out' && (ticked || shown)) {
      // Told first, then (if ticked) objected: the informed events never change the decision.
      for (const channel of purpose.channels) {
        if (
          !informsOfObjection(
            purpose,
            shown,
            facts.states.get(stateKey(purpose.key, channel)),
            answer.ticked.includes(channel)
          )
        )
          continue;
        events.push({
          purpose: purpose.key,
          channel,
          legalBasis: purpose.legalBasis,
          action: 'informed',
          state: 'none',
          method: 'form',
        });
      }
      record(purpose, (channel) =>
        !answer.ticked.includes(channel) || current(purpose.key, channel).state === 'objected'
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
