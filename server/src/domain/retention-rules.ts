import type { ConsentMethod, ConsentState, SuppressionReason } from '../../../shared/contracts/domain';

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

export interface ProspectFacts {
  /** When the person became known (the subject row's creation): the collection of the data. */
  collectedAt: Date;
  /** The latest event the person initiated (see `isPersonActivity`), if any. */
  lastActivityAt: Date | null;
  /** Any current grant, for any purpose on any channel. */
  hasCurrentGrant: boolean;
  /** Identifiers already cleared (erased, or forgotten as an unconfirmed address): nothing to purge. */
  erased: boolean;
}

/**
 * I4: a prospect's data is deleted 3 years (`prospectMonths`) after its collection or after the last
 * contact the person initiated, whichever is later. A person with a current grant is a subscriber who
 * keeps consenting, not a stale prospect: kept (their consent's own lifetime, I7, ends the grant if the
 * purpose has one, and then this rule applies).
 */
export const isStaleProspect = (facts: ProspectFacts, cutoff: Date): boolean => {
  if (facts.erased || facts.hasCurrentGrant) return false;
  const last = Math.max(facts.collectedAt.getTime(), facts.lastActivityAt?.getTime() ?? 0);
  return last < cutoff.getTime();
};

// ── I3: suppression entries ─────────────────────────────────────────────────────────────────────────────

export interface SuppressionRetention {
  minMonths: number;
  /** `null`: entries are kept forever. */
  maxMonths: number | null;
}

/**
 * Entries created before this instant may be deleted; `null` when nothing may be (no maximum set). Never
 * later than `minMonths` ago, even if a configuration slipped past validation with max < min: an entry
 * is kept at least 3 years from the objection in France (I3).
 */
export const suppressionDeleteBefore = (now: Date, retention: SuppressionRetention): Date | null => {
  if (retention.maxMonths == null) return null;
  const byMax = monthsBefore(now, retention.maxMonths);
  const byMin = monthsBefore(now, retention.minMonths);
  return byMax.getTime() < byMin.getTime() ? byMax : byMin;
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
