import type {
  Audience,
  Channel,
  ConsentAction,
  ConsentState,
  Jurisdiction,
  LegalBasis,
} from '../../../shared/contracts/domain';
import { canonicalJson } from '../utils/canonical-json';
import { HASHED_FIELDS, hashedFieldsOf, type HashedEvent } from './event-hash';
import { monthsAfter, proofKeptUntil } from './retention-rules';

/**
 * I5: proof is kept while the consent is in use, then for the limitation period, and no longer. Past it,
 * the events of an ended consent lose what ties them to a person; what they recorded (purpose, channel,
 * action, state, method, basis, notice, time) and their place in the chain stay (docs/ledger.md).
 */

/**
 * What pruning clears: the pseudonym, the request context (IP, user agent), the page address (it may carry
 * the person's query parameters), the evidence (double opt-in times, form entries, staff notes), the actor
 * (`admin:<id>` names a member of staff) and the receipt id (it leads to the receipt, which names the person).
 */
export const PRUNED_FIELDS = ['subject', 'pageUrl', 'context', 'evidence', 'actor', 'receiptId'] as const;
export type PrunedField = (typeof PRUNED_FIELDS)[number];

/** The hashed fields a pruned event keeps, which its seal covers. */
export const KEPT_FIELDS = HASHED_FIELDS.filter((f) => !(PRUNED_FIELDS as readonly string[]).includes(f));

/**
 * The ended states whose proof may go. Not `granted` (in use) or `pending` (awaiting confirmation); not
 * `objected`: the state is what keeps honouring the objection; not `none`: nothing was decided.
 */
export const ENDED_STATES: readonly ConsentState[] = ['withdrawn', 'expired', 'revoked', 'refused'];

/** The longest proof period the configuration accepts, in years. */
export const MAX_PROOF_YEARS = 30;

export interface ProofKeyFacts {
  /** The key's current state (person × purpose × channel). */
  state: ConsentState;
  legalBasis: LegalBasis;
  /** The person's jurisdiction and audience, for the German telephone minimum. */
  jurisdiction: Jurisdiction | null;
  audience: Audience | null;
  /** Every event of the key, any action (a use after the end still counts). */
  events: { action: ConsentAction; state: ConsentState; channel: Channel; legalBasis: LegalBasis; occurredAt: Date }[];
}

/**
 * I5: the instant from which this key's proof may be pruned, or null while it must be kept at all: the
 * consent (basis `consent`; other bases are not consent proof and keep their rows) has ended, and
 * `proofYears` have passed since its last event (the end, or a later use); for a German consumer's
 * telephone consent, also five years from the last grant and each use (§7a UWG, `proofKeptUntil`).
 * `proofYears` null: proof is never pruned.
 */
export const proofPrunableFrom = (facts: ProofKeyFacts, proofYears: number | null): Date | null => {
  if (proofYears == null || facts.legalBasis !== 'consent' || !ENDED_STATES.includes(facts.state)) return null;
  if (facts.events.length === 0) return null;
  const last = Math.max(...facts.events.map((e) => e.occurredAt.getTime()));
  const byPeriod = monthsAfter(new Date(last), proofYears * 12);
  const byPhone = proofKeptUntil({ jurisdiction: facts.jurisdiction, audience: facts.audience, events: facts.events });
  return byPhone && byPhone.getTime() > byPeriod.getTime() ? byPhone : byPeriod;
};

/** Whether this key's proof may be pruned at `now` (I5). */
export const mayPruneProof = (facts: ProofKeyFacts, now: Date, proofYears: number | null): boolean => {
  const from = proofPrunableFrom(facts, proofYears);
  return from != null && from.getTime() <= now.getTime();
};

/** The JWS `typ` of a prune seal. */
export const PRUNE_SEAL_TYPE = 'consent-prune+jwt';

/**
 * What a prune seal signs: the event's place in the chain, the fields it keeps as the hash read them, the
 * fields it lost and when. Signed with the plugin's Ed25519 key (the receipts' key), so a pruned event's
 * remaining fields stay checkable, and someone with only database access cannot mark an event pruned.
 */
export interface PruneSeal {
  seq: number;
  eventId: string;
  hash: string;
  prevHash: string;
  prunedAt: string;
  pruned: PrunedField[];
  kept: Record<string, unknown>;
}

const keptOf = (event: Partial<HashedEvent>): Record<string, unknown> => {
  const all = hashedFieldsOf(event);
  return Object.fromEntries(KEPT_FIELDS.map((f) => [f, all[f]]));
};

/** The seal of an event pruned at `prunedAt`, from the event as stored before pruning. */
export const pruneSealOf = (event: Partial<HashedEvent> & { hash: string }, prunedAt: Date): PruneSeal => ({
  seq: Number(event.seq),
  eventId: String(event.eventId),
  hash: event.hash,
  prevHash: String(event.prevHash),
  prunedAt: prunedAt.toISOString(),
  pruned: [...PRUNED_FIELDS],
  kept: keptOf(event),
});

/** A pruned event that still holds a personal field: the problem, or null. */
export const personalFieldsLeft = (event: Partial<HashedEvent>): string | null => {
  const still = PRUNED_FIELDS.filter((f) => event[f] != null);
  return still.length ? `pruned, yet it holds ${still.join(', ')}` : null;
};

/**
 * Checks a pruned event against its seal's payload (already verified as signed by the plugin's key):
 * every pruned field empty, the kept fields, hash and prune time as sealed. The problem, or null.
 */
export const prunedEventProblem = (
  event: Partial<HashedEvent> & { hash: string; prunedAt?: string | Date | null },
  seal: unknown
): string | null => {
  const left = personalFieldsLeft(event);
  if (left) return left;
  const s = seal as Partial<PruneSeal> | null;
  if (!s || typeof s !== 'object') return 'its prune seal has no payload';
  if (s.seq !== Number(event.seq) || s.eventId !== event.eventId) return 'its prune seal is for another event';
  if (s.hash !== event.hash || s.prevHash !== event.prevHash)
    return 'its hash or prevHash is not the one sealed when it was pruned';
  if (event.prunedAt == null || s.prunedAt !== new Date(event.prunedAt).toISOString())
    return 'its prune time is not the one sealed';
  if (canonicalJson(s.kept ?? null) !== canonicalJson(keptOf(event)))
    return 'its remaining fields are not the ones sealed when it was pruned';
  return null;
};
