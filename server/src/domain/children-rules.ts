import type { Jurisdiction } from '../../../shared/contracts/domain';

/**
 * CHILDREN'S CONSENT (G1–G6; GDPR Art. 8, Recital 38)
 *
 * A form marked as offered directly to children asks for the person's age (or birth year) before the
 * choices and compares it with the age of digital consent of the country the form serves (G1). Below it,
 * the child's own tick is not consent (G2): the grant stays `pending` until a holder of parental
 * responsibility confirms it from a mail sent to them, and that confirmation is the event that grants,
 * carrying how parental responsibility was checked (G4). The child's request and the parent's
 * confirmation are both on the ledger, so French joint consent under 15 (G3) has both parties' events.
 *
 * Only the outcome is stored (minimisation, Art. 5(1)(c), Art. 8(2) "reasonable efforts"): whether the
 * person was below the threshold, and when they reach it, computed conservatively (the latest instant
 * consistent with the answer, in whichever time zone the person lives), never the age or a birth date.
 *
 * Below the threshold only a parent's grant counts (G2): a grant of the child's own, from a form not
 * offered to children, the preference centre or an import, is not consent.
 *
 * Once that date has passed, a consent a parent gave needs the person's own confirmation (G5), derived
 * when read like re-consent (reconsent.ts), so `consent_states` stays a replay of the ledger. Until then,
 * direct marketing to the person is off unless the site owner turns it on (G6).
 */

/** Art. 8(1): 16 unless a member state provides a lower age, not below 13. */
export const GDPR_DEFAULT_AGE = 16;
export const MIN_THRESHOLD = 13;
export const MAX_THRESHOLD = 16;

/**
 * Each member state's age of digital consent (Art. 8(1) derogations), plus the EEA states that apply the
 * GDPR. Sources and verification status: docs/compliance.md (G1). Member states amend their laws: the
 * site owner overrides or adds entries with `children.thresholds`.
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<string, number>> = {
  AT: 14,
  BE: 13,
  BG: 14,
  CY: 14,
  CZ: 15,
  DE: 16,
  DK: 13,
  EE: 13,
  ES: 14,
  FI: 13,
  FR: 15,
  GR: 15,
  HR: 16,
  HU: 16,
  IE: 16,
  IT: 14,
  LT: 14,
  LU: 16,
  LV: 13,
  MT: 13,
  NL: 16,
  PL: 16,
  PT: 13,
  RO: 16,
  SE: 13,
  SI: 15,
  SK: 16,
  // EEA
  IS: 13,
  LI: 16,
  NO: 13,
};

/** ISO 3166-1 alpha-2, upper case (Greece is `GR` here, not the EU's `EL`). */
export const COUNTRY_CODE = /^[A-Z]{2}$/;

export const isThreshold = (age: unknown): age is number =>
  typeof age === 'number' && Number.isInteger(age) && age >= MIN_THRESHOLD && age <= MAX_THRESHOLD;

/** The country whose threshold a form uses when it names none: the one its jurisdiction stands for. */
export const countryOfJurisdiction = (jurisdiction: Jurisdiction | null | undefined): string | null =>
  jurisdiction === 'fr' ? 'FR' : jurisdiction === 'de' ? 'DE' : null;

export interface AgeThreshold {
  /** The age from which a person's own consent counts. */
  threshold: number;
  /** The country it is the law of; null: the GDPR default (no country, or one not in the table). */
  country: string | null;
}

/**
 * G1: the threshold for a form: its own country, else its jurisdiction's, else the site's; a country not
 * in the table gets the GDPR default (16), the strictest answer.
 */
export const thresholdFor = (
  country: string | null | undefined,
  thresholds: Readonly<Record<string, number>>,
  defaultAge: number = GDPR_DEFAULT_AGE
): AgeThreshold => {
  const code = country ? country.toUpperCase() : null;
  if (code && isThreshold(thresholds[code])) return { threshold: thresholds[code], country: code };
  return { threshold: defaultAge, country: null };
};

/** What the person said: their age in completed years, or their birth year. */
export type AgeAnswer = { age: number } | { birthYear: number };

/** What is stored about a person's age (G1, minimised): the outcome and the date it changes. */
export interface ChildStatus {
  /** Below the threshold when asked. */
  child: boolean;
  /**
   * The instant from which the person has reached the threshold wherever they live, at the latest; null
   * when not a child.
   */
  childUntil: Date | null;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The UTC offsets a person can live at: a date begins last at UTC−12 and first at UTC+14. */
const WESTMOST = -12 * HOUR;
const EASTMOST = 14 * HOUR;

/** The UTC midnight `years` calendar years after `date` (a UTC midnight); 29 February gives 1 March, later. */
const yearsAfter = (date: number, years: number): number => {
  const d = new Date(date);
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate());
};

/**
 * G1, G2: the outcome of an age answer, conservatively. A person becomes of age at the midnight that
 * begins their birthday where they live, which the plugin does not know; so the child stays a child
 * until the latest such midnight in any time zone, never earlier than a court in the person's own zone
 * would count.
 *
 * An age of A completed years at `now` means, in a zone where today is D, a birthday at the latest on
 * D − A years: the threshold T is then reached at that zone's midnight of D + (T − A) years. `now` falls
 * on up to three dates around the world; the latest of those midnights is the answer (about `now`
 * T − A years on: someone whose birthday began just now somewhere). A birth year Y means a birthday at
 * the latest on 31 December Y: T is reached at the latest when 31 December Y + T begins at UTC−12.
 */
export const childStatus = (answer: AgeAnswer, threshold: number, now: Date): ChildStatus => {
  const at = now.getTime();
  let until = -Infinity;
  if ('age' in answer) {
    const today = Math.floor(at / DAY) * DAY;
    for (const date of [today - DAY, today, today + DAY]) {
      // The offsets at which `date` is the local date at `now`; the smallest has the latest midnight.
      const west = Math.max(WESTMOST, date - at);
      const east = Math.min(EASTMOST, date + DAY - 1 - at);
      if (west <= east) until = Math.max(until, yearsAfter(date, threshold - answer.age) - west);
    }
  } else {
    until = Date.UTC(answer.birthYear + threshold, 11, 31) - WESTMOST;
  }
  return until > at ? { child: true, childUntil: new Date(until) } : { child: false, childUntil: null };
};

/**
 * A new answer never makes a known child younger or older than the record says in the child's favour:
 * once recorded as a child, a person stays child-flagged (G5 needs it), and the later of the two dates
 * stands. Answering "20" on a second visit does not lift a record that says 12.
 */
export const mergeChildStatus = (existing: ChildStatus | null, incoming: ChildStatus): ChildStatus => {
  if (!existing?.child) return incoming;
  const dates = [existing.childUntil, incoming.childUntil].filter((d): d is Date => !!d);
  const latest = dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null;
  return { child: true, childUntil: latest };
};

/** Below the threshold now: the record is child-flagged and the date it changes has not come. */
export const belowThreshold = (status: Partial<ChildStatus> | null | undefined, now: Date): boolean =>
  !!status?.child && (!status.childUntil || status.childUntil.getTime() > now.getTime());

/**
 * G2: on a children's form (the only one that asks the age, so the only caller), does this person's own
 * tick only request consent, waiting for a holder of parental responsibility? Yes below the threshold.
 */
export const parentalConsentRequired = (status: ChildStatus | null, now: Date): boolean => belowThreshold(status, now);

/** The `actor` of the event a parent's confirmation records (G4). */
export const PARENT_ACTOR = 'parent';

/**
 * G5: a grant a parent gave (the granting event's actor is `parent`) needs the person's own confirmation
 * once the person has reached the threshold. Their own later tick records a grant of their own, which
 * stands. Read from the state's granting event, not from times, so nothing depends on when the check runs.
 */
export const needsOwnConfirmation = (
  status: Partial<ChildStatus> | null | undefined,
  grantedByParent: boolean | null | undefined,
  now: Date
): boolean =>
  !!grantedByParent && !!status?.child && !!status.childUntil && status.childUntil.getTime() <= now.getTime();

/**
 * G2: a consent that stands for a person below the threshold counts only if a parent gave it (the granting
 * event's actor is `parent`). The child's own grant, on a form not offered to children, in the preference
 * centre or by an import, is not consent: it waits for a parent like the child's tick on a children's form.
 */
export const childsOwnGrant = (
  status: Partial<ChildStatus> | null | undefined,
  grantedByParent: boolean | null | undefined,
  now: Date
): boolean => !grantedByParent && belowThreshold(status, now);

/** Past the threshold now (G5 may apply): the record is child-flagged and its date has come. */
export const reachedThreshold = (status: Partial<ChildStatus> | null | undefined, now: Date): boolean =>
  !!status?.child && !!status.childUntil && status.childUntil.getTime() <= now.getTime();

/** G6: direct marketing to a person below the threshold is off unless the site owner allows it. */
export const childMarketingBlocked = (
  status: Partial<ChildStatus> | null | undefined,
  directMarketing: boolean,
  allowed: boolean,
  now: Date
): boolean => directMarketing && !allowed && belowThreshold(status, now);

/** G4: how parental responsibility was checked, recorded on the granting event. */
export const PARENTAL_VERIFICATION = 'email-to-parent-with-confirmation-link';

/**
 * G1: whose threshold a children's form applies: the country the editor named on the form, else the
 * country of the form's jurisdiction, else of the site's (`fr` → FR, `de` → DE); `eu` names no country,
 * so the configured default (GDPR: 16) applies.
 */
export const formAgeThreshold = (
  form: { childrenCountry?: string | null; jurisdiction?: Jurisdiction | null },
  site: { jurisdiction: Jurisdiction; thresholds: Readonly<Record<string, number>>; defaultAge: number }
): AgeThreshold =>
  thresholdFor(
    form.childrenCountry ?? countryOfJurisdiction(form.jurisdiction ?? site.jurisdiction),
    site.thresholds,
    site.defaultAge
  );

/**
 * G2: a pending consent whose request waits for a parent (its `requested` event carries
 * `evidence.parentalConsent`). Nothing but the parent's confirmation may grant it: not a double opt-in
 * link from an earlier request, not a verified phone number.
 */
export const awaitsParent = (evidence: unknown): boolean =>
  !!evidence && typeof evidence === 'object' && 'parentalConsent' in (evidence as Record<string, unknown>);
