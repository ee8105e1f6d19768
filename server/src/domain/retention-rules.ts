import type {
  Audience,
  Channel,
  ConsentAction,
  ConsentMethod,
  ConsentState,
  Jurisdiction,
  LegalBasis,
  SuppressionReason,
} from '../../../shared/contracts/domain';
import { legalDate, legalDayStart } from './contact-rules';

const DAY = 86_400_000;

/**
 * The date rules of the retention jobs (I3, I4, I7), pure so they can be reviewed and tested on their
 * own. services/retention.ts applies them to the database.
 */

/**
 * `months` calendar months before `now`, in UTC, keeping the time of day. A day the target month does not
 * have becomes its last day (31 May minus 3 months is 28 or 29 February), so a period never ends early.
 */
export const monthsBefore = (now: Date, months: number): Date => {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const out = new Date(now.getTime());
  out.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
  return out;
};

/** `months` calendar months after `from` (the mirror of `monthsBefore`, same end-of-month rule). */
export const monthsAfter = (from: Date, months: number): Date => monthsBefore(from, -months);

// ── C8, I5: proof of German telephone consent ─────────────────────────────────────────────────────────

/**
 * §7a UWG (C8, I5): whoever advertises to a consumer by telephone call or automated calling machine keeps
 * the proof of the prior express consent for five years from the grant and again from each use. The
 * proof includes the link to the phone number: a purge must not clear the identifiers while it runs.
 */
export const PHONE_PROOF_MONTHS = 60;
export const PHONE_PROOF_CHANNELS: readonly Channel[] = ['phone', 'automated-call'];
/** The ledger actions that start the five years again: a grant, its confirmation, and each use. */
export const PROOF_CLOCK_ACTIONS: readonly ConsentAction[] = ['granted', 'confirmed', 'contacted'];

export interface ProofFacts {
  jurisdiction: Jurisdiction | null;
  /** The person's own audience; unknown (`any`, null) is a consumer, the protected side. */
  audience: Audience | null;
  /** Their ledger events that may start the clock (any channel, basis and action; filtered here). */
  events: readonly {
    action: ConsentAction;
    state: ConsentState;
    channel: Channel;
    legalBasis: LegalBasis;
    occurredAt: Date;
  }[];
}

/**
 * The end of a German period of `months` that an event starts (C8, I5). German law counts it in German
 * days (BGB §§187(1), 188(2)–(3), which §7a UWG's "fünf Jahre" follows): the day of the event does not
 * count, and the period ends when the day of the same date `months` on ends in Germany, the month's last
 * day when that date does not exist (29 February). The same UTC instant five years on could end it up to
 * a day earlier than a German court would, so this is the end of that Berlin day.
 */
export const germanPeriodEnd = (event: Date, months: number): Date => {
  const [year, month, day] = legalDate(event, 'de').split('-').map(Number);
  const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  const nextDay = new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDay) + 1));
  return legalDayStart(nextDay.toISOString().slice(0, 10), 'de');
};

/**
 * The earliest grant or use whose proof can still be held at `now`: a reader that loads the events from
 * here misses none (two days before the UTC instant `months` ago cover the German day and its end).
 */
export const proofClockFrom = (now: Date, months = PHONE_PROOF_MONTHS): Date =>
  new Date(monthsBefore(now, months).getTime() - 2 * DAY);

/**
 * Until when the proof of this person's consent must be kept (C8, I5): five years after the latest grant,
 * confirmation or use (`contacted`) of a consent for telephone contact (phone or automated calling
 * machine), for a consumer whose jurisdiction is `de`, to the end of that German day (`germanPeriodEnd`).
 * `null` when no such rule holds the proof. `contacted` counts whatever the state at the time (a use
 * after a withdrawal is still a use to answer for).
 */
export const proofKeptUntil = (facts: ProofFacts, months = PHONE_PROOF_MONTHS): Date | null => {
  if (facts.jurisdiction !== 'de' || facts.audience === 'professional') return null;
  let latest = 0;
  for (const e of facts.events) {
    if (!PHONE_PROOF_CHANNELS.includes(e.channel) || e.legalBasis !== 'consent') continue;
    if (!PROOF_CLOCK_ACTIONS.includes(e.action)) continue;
    if (e.action !== 'contacted' && e.state !== 'granted') continue;
    latest = Math.max(latest, e.occurredAt.getTime());
  }
  return latest ? germanPeriodEnd(new Date(latest), months) : null;
};

/** Whether a purge at `now` must leave this person's identifiers alone (C8, I5). */
export const proofMustBeKept = (facts: ProofFacts, now: Date, months = PHONE_PROOF_MONTHS): boolean => {
  const until = proofKeptUntil(facts, months);
  return until != null && until.getTime() > now.getTime();
};

// ── C8, I4: what a reported contact records ───────────────────────────────────────────────────────────

/** What the site reports: a message or call it made (`sent`), or the person's click on one (`clicked`). */
export const CONTACT_KINDS = ['sent', 'clicked'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/**
 * A reported contact becomes a `contacted` event that leaves the consent state as it is (consent-state.ts
 * `movesState`). Its method says whose act it was: a click is the person's (`link`, one of
 * `ACTIVITY_METHODS`: it restarts the three years of I4); a send or a call is the site's (`api`: it
 * restarts the proof clock of C8, never the person's activity). Opens are not reported at all (N8, N11).
 */
export const contactMethod = (kind: ContactKind): ConsentMethod => (kind === 'clicked' ? 'link' : 'api');

// ── I7: a grant past the purpose's consent lifetime ──────────────────────────────────────────────────────

/**
 * The same test eligibility applies (domain/eligibility-rules): a grant whose `expiresAt` is at or before
 * `now`. Eligibility answers `expired` from that instant; the expiry job only makes the ledger say so.
 */
export const lifetimeOver = (row: { state: ConsentState; expiresAt: Date | string | null }, now: Date): boolean =>
  row.state === 'granted' && row.expiresAt != null && new Date(row.expiresAt).getTime() <= now.getTime();

/** A grant that still counts: granted and not past its lifetime. */
export const currentGrant = (row: { state: ConsentState; expiresAt: Date | string | null }, now: Date): boolean =>
  row.state === 'granted' && !lifetimeOver(row, now);

// ── I4: prospects ──────────────────────────────────────────────────────────────────────────────────────

/**
 * Ledger methods that record something the PERSON did: a form, a confirmation, a click on a link of ours,
 * the preference centre, a browser signal they set. `import` counts as the collection of the data.
 * Not: `api` and `admin` (written by the site or its staff) and anything the plugin itself records
 * (actor `system`, e.g. the expiry of an unconfirmed request, whose method is `double-opt-in`).
 *
 * An email open or a tracking-pixel hit is NOT a contact initiated by the person (CNIL SAN-2020-003
 * Spartoo, SAN-2020-016 Performeclic; I4). The plugin records none, and they must never be fed in as
 * ledger events: they would keep a prospect's data alive.
 */
export const ACTIVITY_METHODS: readonly ConsentMethod[] = [
  'form',
  'double-opt-in',
  'one-click',
  'link',
  'preference-center',
  'signal',
  'import',
];

export const SYSTEM_ACTOR = 'system';

export const isPersonActivity = (event: { method: ConsentMethod; actor: string }): boolean =>
  ACTIVITY_METHODS.includes(event.method) && event.actor !== SYSTEM_ACTOR;

/** What a contract with the person says about their retention (I4: customer data). */
export interface ContractFacts {
  /** A contract runs at the instant judged: the person is a customer, whose data the contract needs. */
  current: boolean;
  /** The latest end of a contract that has ended: the three years for customers run from it. */
  endedAt: Date | null;
}

export interface ProspectFacts {
  /** When the person became known (the subject row's creation): the collection of the data. */
  collectedAt: Date;
  /** The latest event the person initiated (see `isPersonActivity`), if any. */
  lastActivityAt: Date | null;
  /** Any current grant, for any purpose on any channel. */
  hasCurrentGrant: boolean;
  /** Identifiers already cleared (erased, or forgotten as an unconfirmed address): nothing to purge. */
  erased: boolean;
  /**
   * The three years apply to this person's grants too (their jurisdiction is in
   * `retention.subscriberJurisdictions`: I4, N8, N11).
   */
  subscriberRule?: boolean;
  /** Their contracts (consent_relationships), if any. */
  contract?: ContractFacts | null;
  /** An address the re-permission request can be mailed to (I4); only `false` means it cannot be sent. */
  askable?: boolean;
  /** The latest re-permission request sent to them (a `contacted` event of kind `re-permission`). */
  askedAt?: Date | null;
}

/** The instant a job judges at, and the periods of `retention` it applies. */
export interface RetentionClock {
  now: Date;
  /** `retention.prospectMonths`. */
  months: number;
  /** `retention.repermissionDays`: how long before the end the request goes out, and the least time to answer. */
  repermissionDays: number;
}

/**
 * Where the person's three years start: their collection, their latest own act, or the end of their last
 * contract (I4: customer data is kept 3 years after the relationship ends), whichever is latest.
 */
export const lastOwnAct = (facts: ProspectFacts): Date =>
  new Date(
    Math.max(facts.collectedAt.getTime(), facts.lastActivityAt?.getTime() ?? 0, facts.contract?.endedAt?.getTime() ?? 0)
  );

/** A re-permission request answers for the current period only if sent after the person's last own act. */
const askedSinceLastAct = (facts: ProspectFacts): boolean =>
  facts.askedAt != null && facts.askedAt.getTime() > lastOwnAct(facts).getTime();

/** The subscriber rule reaches this person: a current grant, in a listed jurisdiction, no running contract. */
const subscriberUnderRule = (facts: ProspectFacts): boolean =>
  !facts.erased && facts.hasCurrentGrant && !!facts.subscriberRule && !facts.contract?.current;

/**
 * I4: a prospect's data is deleted 3 years (`prospectMonths`) after its collection or after the last
 * contact the person initiated, whichever is later: a grant, a confirmation, a preference change, a click
 * reported by the site (`contacted`, kind `clicked`); never an open, a send or a call (N8, N11). A customer
 * is kept while a contract runs, and for 3 years after it ends.
 *
 * Under `subscriberRule` (France) this applies to subscribers too: a grant is itself an act of the person,
 * so the three years run from the latest one or from anything the person did since. But a subscriber is
 * first asked once whether they want to go on (`repermissionDue`); their data goes only when that request,
 * sent after their last own act, has had `repermissionDays` without an answer. Someone who cannot be asked
 * (no email address: the plugin mails the request) goes at the end of the three years. Elsewhere a person
 * with a current grant is kept (their consent's own lifetime, I7, ends the grant if the purpose has one,
 * and then this rule applies).
 */
export const isStaleProspect = (facts: ProspectFacts, clock: RetentionClock): boolean => {
  if (facts.erased || facts.contract?.current) return false;
  if (facts.hasCurrentGrant && !facts.subscriberRule) return false;
  if (lastOwnAct(facts).getTime() >= monthsBefore(clock.now, clock.months).getTime()) return false;
  // Unknown reachability counts as reachable: nobody is purged unasked by an omission.
  if (!facts.hasCurrentGrant || facts.askable === false) return true;
  return askedSinceLastAct(facts) && facts.askedAt!.getTime() + clock.repermissionDays * DAY <= clock.now.getTime();
};

/**
 * I4: the one re-permission request is due once the end of the person's three years is `repermissionDays`
 * away (or past: a site that turns the rule on for old data asks first, and purges `repermissionDays`
 * later), for a subscriber under the rule who can be asked and was not asked since their last own act.
 */
export const repermissionDue = (facts: ProspectFacts, clock: RetentionClock): boolean => {
  if (!subscriberUnderRule(facts) || facts.askable === false || askedSinceLastAct(facts)) return false;
  const end = monthsAfter(lastOwnAct(facts), clock.months);
  return end.getTime() - clock.repermissionDays * DAY <= clock.now.getTime();
};

/** The `evidence.kind` of the `contacted` event that records a re-permission request (I4). */
export const REPERMISSION_KIND = 're-permission';

// ── I3: suppression entries ─────────────────────────────────────────────────────────────────────────────

/**
 * I3: a suppression entry is kept at least three years from the objection (CNIL, référentiel 2021-131),
 * whatever the configuration. The entry holds a keyed hash and no jurisdiction, and any site may hold
 * French people (the person's jurisdiction decides, C2), so the floor holds for every entry.
 */
export const SUPPRESSION_FLOOR_MONTHS = 36;

export interface SuppressionRetention {
  minMonths: number;
  /** `null`: entries are kept forever. */
  maxMonths: number | null;
}

/**
 * Entries created before this instant may be deleted; `null` when nothing may be (no maximum set). Never
 * later than `minMonths` ago, nor than `SUPPRESSION_FLOOR_MONTHS` ago (I3), even if a configuration
 * slipped past validation (max < min, or a minimum below the floor set at run time).
 */
export const suppressionDeleteBefore = (now: Date, retention: SuppressionRetention): Date | null => {
  if (retention.maxMonths == null) return null;
  return monthsBefore(now, Math.max(retention.maxMonths, retention.minMonths, SUPPRESSION_FLOOR_MONTHS));
};

/**
 * Opposition lists (Bloctel …) are replaced by importing the list again, never aged out here. Any other
 * entry may go once older than the cutoff, unless the person said it again since (`reaffirmedAt`: their
 * latest withdrawal or objection), which restarts the period: inserting an entry that already exists
 * keeps the old row and its creation date.
 */
export const maySuppressionGo = (
  entry: { reason: SuppressionReason; createdAt: Date; reaffirmedAt?: Date | null },
  deleteBefore: Date | null
): boolean => {
  if (!deleteBefore || entry.reason === 'opposition-list') return false;
  const latest = Math.max(entry.createdAt.getTime(), entry.reaffirmedAt?.getTime() ?? 0);
  return latest < deleteBefore.getTime();
};
