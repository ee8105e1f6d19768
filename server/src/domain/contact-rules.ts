import {
  CHANNELS,
  JURISDICTIONS,
  type Audience,
  type Channel,
  type Jurisdiction,
  type LegalBasis,
  type Sector,
  type SuppressionReason,
} from '../../../shared/contracts/domain';
import { isDirectMarketing } from './direct-marketing';

/**
 * WHO MAY BE CONTACTED, ON WHICH CHANNEL, ON WHICH LEGAL BASIS
 *
 * The legal map of docs/legal-requirements §1 and requirements C1–C8 as one table, written to be reviewed
 * row by row by a lawyer. docs/eligibility.md is the same table in prose. This is not legal advice: each
 * row names its source so that it can be checked.
 *
 * HOW A CHECK IS DECIDED
 *
 * Three things apply before the table, to every row:
 *   1. An objection on record (state `objected`) refuses contact, whatever the basis (Art. 21(2)–(3), C4;
 *      no switching to another basis, D9). Decided in eligibility-rules.ts from the consent state.
 *   2. For a purpose on consent, only a current grant counts (granted, confirmed if double opt-in, not
 *      expired, given under the current notice). Also in eligibility-rules.ts.
 *   3. A suppression entry (do-not-contact list, opposition list such as Bloctel) for the person's
 *      identifier on this channel or on every channel refuses marketing contact: `opposition-list` when
 *      the entry comes from an opposition list, `suppressed` otherwise. See `suppressionReasons` below.
 *
 * Then the FIRST row of `CONTACT_RULES` whose columns all match the case decides what the law asks on
 * top: nothing more (`allowed`), a current consent (`allowed-with-consent`, the basis is consent), the
 * existing-customer evidence (`soft-opt-in`), a current contract (`with-contract`, the basis is contract)
 * or "this basis is not enough here" (`not-allowed`).
 *
 * THE COLUMNS
 *   jurisdictions  whose rules apply (`eu` = the EU baseline of ePrivacy Directive 2002/58 and the GDPR,
 *                  used where no national rule is configured; `fr` France; `de` Germany)
 *   channels       how the person is contacted
 *   audience       `consumer` (a natural person acting privately) or `professional` (a person reached
 *                  in their professional capacity, at a work address or number), or `any`
 *   basis          the legal basis of the purpose (GDPR Art. 6(1))
 *   when           extra conditions: a date range, the purpose's soft opt-in flag, or that the purpose's
 *                  messages concern the recipient's profession
 *   outcome        what the law asks for contact on that basis
 *   reason         the stable code answered when the outcome is not met
 *   source         the legal text or authority
 *
 * THE INPUTS, AS THE PLUGIN READS THEM (choices made here; see docs/eligibility.md)
 *   - Jurisdiction: the person's own, recorded at collection (the form's, the submission's or the import's,
 *     else the site's). A check that names another jurisdiction is judged under both, and is eligible only
 *     if both allow: a check can make the answer stricter, never looser (C2).
 *   - Audience: the person's own, recorded at collection (the form's, the submission's or the import's);
 *     unknown is consumer, the more protected group. Never the purpose's: who a purpose addresses says
 *     nothing of who this person is (C2, N9). A purpose whose audience is `professional` is read as "its
 *     messages concern the recipient's profession" (`aboutProfession`), the other condition of the French
 *     B2B exception.
 *   - Date: the calendar date of the check in the jurisdiction's legal time zone (Paris for `fr`, Berlin
 *     for `de`, Brussels for `eu`), so that "until 10 August 2026" ends at midnight in Paris, not in UTC.
 *   - Contract: a contract purpose needs recorded evidence of a current contract with the person (a
 *     relationship: reference, start, optional end); an unknown person or an ended contract is
 *     `no-contract` (C7). Service messages (not direct marketing, direct-marketing.ts) are then allowed and
 *     no suppression list applies to them. A contract purpose flagged as direct marketing (in-contract sales
 *     calls) also honours objections and suppression entries, like every direct-marketing purpose (C4, C5);
 *     the French opposition list does not apply to a call within a current contract (C6). Where the law of
 *     the channel asks for consent to marketing (email, SMS, a German consumer's telephone …), selling on
 *     a contract is `jurisdiction-rule`: a contract is not consent (C1, C8, CNIL Accor).
 *   - Legal obligation: messages the law requires are not direct marketing.
 */

export type ContactAudience = 'consumer' | 'professional';

/**
 * Reason codes this module answers (stable; integrations branch on them):
 * - `jurisdiction-rule`: the purpose's legal basis is not enough for this channel, audience and
 *   jurisdiction (typically: legitimate interest where the law asks for prior consent).
 * - `soft-opt-in-incomplete`: the existing-customer exception (C1) is claimed, but the person's record
 *   does not show every element of it.
 * - `opposition-list`: the identifier is on an opposition list (Bloctel or another imported list).
 * - `suppressed`: the identifier is on the suppression list for this channel or for every channel
 *   (unsubscribe from everything, objection, erasure, hard bounce).
 * - `no-contract`: a contract purpose, and no current contract with the person is on record.
 * - `sector-ban`: the purpose's sector may not be canvassed on this channel in this jurisdiction.
 */
export const CONTACT_REASONS = [
  'jurisdiction-rule',
  'soft-opt-in-incomplete',
  'no-contract',
  'sector-ban',
  'opposition-list',
  'suppressed',
] as const;
export type ContactReason = (typeof CONTACT_REASONS)[number];

export type Outcome =
  /** The basis is enough: contact is allowed unless the person objects (opt-out). */
  | 'allowed'
  /** Allowed with a current consent of the person for this purpose (opt-in). */
  | 'allowed-with-consent'
  /** Allowed only if the record shows every element of the existing-customer exception (C1). */
  | 'soft-opt-in'
  /** Allowed only while a contract with the person is current (a recorded relationship, C7). */
  | 'with-contract'
  /** The basis is not enough here: consent is required. */
  | 'not-allowed';

export interface ContactRule {
  id: string;
  jurisdictions: readonly Jurisdiction[];
  channels: readonly Channel[];
  audience: ContactAudience | 'any';
  basis: LegalBasis;
  when?: {
    /** First day the row applies (inclusive), YYYY-MM-DD in the jurisdiction's legal time zone. */
    from?: string;
    /** Last day the row applies (inclusive), YYYY-MM-DD in the jurisdiction's legal time zone. */
    until?: string;
    /** The purpose is flagged "soft opt-in allowed". */
    softOptInPurpose?: true;
    /** The purpose's messages concern the recipient's profession (purpose audience `professional`). */
    aboutProfession?: true;
    /** The purpose's messages sell (a contract purpose flagged direct marketing, direct-marketing.ts). */
    directMarketing?: true;
  };
  outcome: Outcome;
  reason?: ContactReason;
  /** The rule in one sentence. */
  rule: string;
  source: string;
}

const ANYWHERE = JURISDICTIONS;
const ANY_CHANNEL = CHANNELS;
const EMAIL_SMS = ['email', 'sms'] as const;

/** The day French telephone canvassing of consumers switches from opt-out to prior consent (C7). */
export const FR_PHONE_CONSENT_FROM = '2026-08-11';
const FR_PHONE_OPT_OUT_UNTIL = '2026-08-10';

export const CONTACT_RULES: readonly ContactRule[] = [
  // ── Purposes that are not direct marketing ────────────────────────────────────────────────────────────
  {
    id: 'legal-obligation',
    jurisdictions: ANYWHERE,
    channels: ANY_CHANNEL,
    audience: 'any',
    basis: 'legal-obligation',
    outcome: 'allowed',
    rule: 'Messages the law requires (e.g. a security or recall notice) are not marketing; no marketing choice applies.',
    source: 'GDPR Art. 6(1)(c)',
  },
  {
    id: 'fr-phone-consumer-contract',
    jurisdictions: ['fr'],
    channels: ['phone'],
    audience: 'consumer',
    basis: 'contract',
    outcome: 'with-contract',
    reason: 'no-contract',
    rule: 'A call within a current contract and related to it: Bloctel does not apply to it, and from 11 August 2026 it is the exception to prior consent. Without a current contract on record, no call.',
    source: 'Code conso. L223-1; Loi 2025-594 art. 13',
  },

  // ── Contract purposes that sell: a contract is not consent ────────────────────────────────────────────
  // The ePrivacy rules on unsolicited marketing (C1, C8) ask for the person's consent, whatever the GDPR
  // basis: a customer's contract lifts that only where a row above or the `contract` row below says so.
  {
    id: 'fr-email-professional-contract-marketing',
    jurisdictions: ['fr'],
    channels: ['email'],
    audience: 'professional',
    basis: 'contract',
    when: { directMarketing: true, aboutProfession: true },
    outcome: 'with-contract',
    reason: 'no-contract',
    rule: 'Selling by email to a professional about their profession needs no prior consent (informed, able to object at collection); the contract must be current.',
    source: 'CNIL B2B guidance (deliberation of 17 Feb 2005); GDPR Art. 6(1)(b)',
  },
  {
    id: 'contract-marketing-email-sms',
    jurisdictions: ANYWHERE,
    channels: EMAIL_SMS,
    audience: 'any',
    basis: 'contract',
    when: { directMarketing: true },
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: "Selling by email or SMS needs prior consent, a customer's too: a contract is not consent, and the existing-customer exception is claimed by a legitimate-interest purpose flagged soft opt-in, with its evidence.",
    source: 'ePrivacy Art. 13(1)–(2); CPCE L34-5; UWG §7(2) Nr. 2, §7(3); CNIL SAN-2022-017 Accor',
  },
  {
    id: 'de-phone-consumer-contract-marketing',
    jurisdictions: ['de'],
    channels: ['phone'],
    audience: 'consumer',
    basis: 'contract',
    when: { directMarketing: true },
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'Sales calls to consumers need prior express consent, customers included: German law has no contract exception.',
    source: 'UWG §7(2) Nr. 1, §7a',
  },
  {
    id: 'eu-phone-contract-marketing',
    jurisdictions: ['eu'],
    channels: ['phone'],
    audience: 'any',
    basis: 'contract',
    when: { directMarketing: true },
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'The Directive leaves calls to each member state; without a national rule, consent is assumed, for sales calls to customers too.',
    source: 'ePrivacy Art. 13(3)',
  },
  {
    id: 'contract-marketing-device',
    jurisdictions: ANYWHERE,
    channels: ['automated-call', 'fax', 'push', 'web'],
    audience: 'any',
    basis: 'contract',
    when: { directMarketing: true },
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'Selling by calling machine, fax or push, or reading the device for it, needs prior consent of every addressee; a contract is not consent, and selling is never strictly necessary.',
    source: 'ePrivacy Art. 13(1), 5(3); CPCE L34-5 (FR); UWG §7(2) Nr. 2, §25 TDDDG (DE)',
  },
  {
    id: 'contract',
    jurisdictions: ANYWHERE,
    channels: ANY_CHANNEL,
    audience: 'any',
    basis: 'contract',
    outcome: 'with-contract',
    reason: 'no-contract',
    rule: 'Contract is a basis only while a contract with the person is current. Service messages are not marketing; a contract purpose flagged as direct marketing reaches this row only on channels where the law asks no consent (postal mail, calls to professionals) and also honours objections and suppression entries.',
    source: 'GDPR Art. 6(1)(b), Art. 21(2)–(3)',
  },

  // ── Consent: enough on every channel, everywhere ──────────────────────────────────────────────────────
  {
    id: 'consent',
    jurisdictions: ANYWHERE,
    channels: ANY_CHANNEL,
    audience: 'any',
    basis: 'consent',
    outcome: 'allowed-with-consent',
    rule: 'A current consent of the person for this purpose and channel allows contact. The plugin records consent only from an explicit act, so it is also the "express" consent German law asks for.',
    source: 'GDPR Art. 6(1)(a), 7; ePrivacy Art. 13(1); CPCE L34-5; UWG §7(2) Nr. 1–2; Loi 2025-594 art. 13',
  },

  // ── Legitimate interest: postal mail ──────────────────────────────────────────────────────────────────
  {
    id: 'postal',
    jurisdictions: ANYWHERE,
    channels: ['postal'],
    audience: 'any',
    basis: 'legitimate-interest',
    outcome: 'allowed',
    rule: 'Postal mail is not covered by ePrivacy: allowed unless the person objects.',
    source: 'GDPR Art. 6(1)(f), Art. 21(2); UWG §7(1) sentence 2 (DE)',
  },

  // ── Legitimate interest: email and SMS ────────────────────────────────────────────────────────────────
  {
    id: 'fr-email-professional',
    jurisdictions: ['fr'],
    channels: ['email'],
    audience: 'professional',
    basis: 'legitimate-interest',
    when: { aboutProfession: true },
    outcome: 'allowed',
    rule: 'Email to a professional about their profession: no prior consent if the person was informed and could object at collection.',
    source: 'CNIL B2B guidance (deliberation of 17 Feb 2005); CNIL SAN-2020-018 Nestor',
  },
  {
    id: 'eu-email-sms-soft-opt-in',
    jurisdictions: ['eu'],
    channels: EMAIL_SMS,
    audience: 'any',
    basis: 'legitimate-interest',
    when: { softOptInPurpose: true },
    outcome: 'soft-opt-in',
    reason: 'soft-opt-in-incomplete',
    rule: 'Existing customers: own similar products, contact details from a sale, objection offered at collection.',
    source: 'ePrivacy Art. 13(2)',
  },
  {
    id: 'fr-email-sms-soft-opt-in',
    jurisdictions: ['fr'],
    channels: EMAIL_SMS,
    audience: 'any',
    basis: 'legitimate-interest',
    when: { softOptInPurpose: true },
    outcome: 'soft-opt-in',
    reason: 'soft-opt-in-incomplete',
    rule: 'Existing customers: "produits ou services analogues fournis par la même personne", details from a sale, objection offered.',
    source: 'CPCE L34-5; CNIL SAN-2022-017 Accor',
  },
  {
    id: 'de-email-sms-soft-opt-in',
    jurisdictions: ['de'],
    channels: EMAIL_SMS,
    audience: 'any',
    basis: 'legitimate-interest',
    when: { softOptInPurpose: true },
    outcome: 'soft-opt-in',
    reason: 'soft-opt-in-incomplete',
    rule: 'Existing customers (every addressee, B2B included): own similar goods, address from a sale, objection offered.',
    source: 'UWG §7(3) Nr. 1–4',
  },
  {
    id: 'eu-email-sms',
    jurisdictions: ['eu'],
    channels: EMAIL_SMS,
    audience: 'any',
    basis: 'legitimate-interest',
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'Email and SMS need prior consent. For professionals the Directive leaves the choice to each member state; without a national rule, consent is assumed.',
    source: 'ePrivacy Art. 13(1), 13(5)',
  },
  {
    id: 'fr-email-sms',
    jurisdictions: ['fr'],
    channels: EMAIL_SMS,
    audience: 'any',
    basis: 'legitimate-interest',
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'Email and SMS need prior consent, except the two exceptions above.',
    source: 'CPCE L34-5',
  },
  {
    id: 'de-email-sms',
    jurisdictions: ['de'],
    channels: EMAIL_SMS,
    audience: 'any',
    basis: 'legitimate-interest',
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'Email and SMS need prior express consent of every addressee, professionals included; no B2B exception.',
    source: 'UWG §7(2) Nr. 2',
  },

  // ── Legitimate interest: telephone (a person calling) ─────────────────────────────────────────────────
  {
    id: 'fr-phone-consumer-opt-out',
    jurisdictions: ['fr'],
    channels: ['phone'],
    audience: 'consumer',
    basis: 'legitimate-interest',
    when: { until: FR_PHONE_OPT_OUT_UNTIL },
    outcome: 'allowed',
    rule: 'Until 10 August 2026: opt-out, and numbers on the Bloctel opposition list are excluded.',
    source: 'Code conso. L223-1, L223-2',
  },
  {
    id: 'fr-phone-consumer-consent',
    jurisdictions: ['fr'],
    channels: ['phone'],
    audience: 'consumer',
    basis: 'legitimate-interest',
    when: { from: FR_PHONE_CONSENT_FROM },
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'From 11 August 2026: prior consent, or a current contract the call relates to.',
    source: 'Loi 2025-594 art. 13',
  },
  {
    id: 'fr-phone-professional',
    jurisdictions: ['fr'],
    channels: ['phone'],
    audience: 'professional',
    basis: 'legitimate-interest',
    outcome: 'allowed',
    rule: 'Calls to professionals: opt-out; Bloctel and the 2025 consent rule protect consumers only.',
    source: 'Code conso. L223-1 (consumers only)',
  },
  {
    id: 'de-phone-consumer',
    jurisdictions: ['de'],
    channels: ['phone'],
    audience: 'consumer',
    basis: 'legitimate-interest',
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'Calls to consumers need prior express consent (documented and kept 5 years, §7a).',
    source: 'UWG §7(2) Nr. 1, §7a',
  },
  {
    id: 'de-phone-professional',
    jurisdictions: ['de'],
    channels: ['phone'],
    audience: 'professional',
    basis: 'legitimate-interest',
    outcome: 'allowed',
    rule: "Calls to professionals: presumed consent is enough (the caller must have concrete grounds for the recipient's interest).",
    source: 'UWG §7(2) Nr. 1',
  },
  {
    id: 'eu-phone',
    jurisdictions: ['eu'],
    channels: ['phone'],
    audience: 'any',
    basis: 'legitimate-interest',
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'The Directive leaves calls to each member state; without a national rule, consent is assumed.',
    source: 'ePrivacy Art. 13(3)',
  },

  // ── Legitimate interest: calling machines and fax ───────────────────────────────────────────────────
  {
    id: 'automated-call-fax',
    jurisdictions: ANYWHERE,
    channels: ['automated-call', 'fax'],
    audience: 'any',
    basis: 'legitimate-interest',
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'Automated calling machines and fax need prior consent of every addressee, professionals included.',
    source: 'ePrivacy Art. 13(1); CPCE L34-5 (FR); UWG §7(2) Nr. 2 (DE)',
  },

  // ── Legitimate interest: push notifications and on-site (web) ─────────────────────────────────────────
  {
    id: 'push',
    jurisdictions: ANYWHERE,
    channels: ['push'],
    audience: 'any',
    basis: 'legitimate-interest',
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'A push message is stored on the device until read, like email or SMS: prior consent is assumed.',
    source: 'ePrivacy Art. 2(h), 13(1), 5(3)',
  },
  {
    id: 'web',
    jurisdictions: ANYWHERE,
    channels: ['web'],
    audience: 'any',
    basis: 'legitimate-interest',
    outcome: 'not-allowed',
    reason: 'jurisdiction-rule',
    rule: 'Reading or storing on the device (cookies, trackers) needs consent unless strictly necessary for a service the person asked for; such a purpose is modelled as contract.',
    source: 'ePrivacy Art. 5(3); Loi I&L art. 82 (FR); §25 TDDDG (DE)',
  },
];

/**
 * Answered when no row matches. The table covers every combination (a unit test enumerates them), so this
 * is a safety net: what is not mapped is treated as needing consent.
 */
export const NO_RULE: ContactRule = {
  id: 'no-rule',
  jurisdictions: ANYWHERE,
  channels: ANY_CHANNEL,
  audience: 'any',
  basis: 'legitimate-interest',
  outcome: 'not-allowed',
  reason: 'jurisdiction-rule',
  rule: 'Not mapped: consent is assumed.',
  source: '—',
};

/** One check, as the table sees it. */
export interface ContactCase {
  jurisdiction: Jurisdiction;
  channel: Channel;
  audience: ContactAudience;
  basis: LegalBasis;
  /** The day of the check, YYYY-MM-DD in the jurisdiction's legal time zone (`legalDate`). */
  date: string;
  softOptInPurpose: boolean;
  aboutProfession: boolean;
  /** The purpose's messages sell (`isDirectMarketing`): always for consent and legitimate interest. */
  directMarketing: boolean;
}

const matches = (row: ContactRule, c: ContactCase): boolean =>
  row.basis === c.basis &&
  row.jurisdictions.includes(c.jurisdiction) &&
  row.channels.includes(c.channel) &&
  (row.audience === 'any' || row.audience === c.audience) &&
  (!row.when?.from || c.date >= row.when.from) &&
  (!row.when?.until || c.date <= row.when.until) &&
  (!row.when?.softOptInPurpose || c.softOptInPurpose) &&
  (!row.when?.aboutProfession || c.aboutProfession) &&
  (!row.when?.directMarketing || c.directMarketing);

/** The first row that matches: rows are ordered from the most specific to the most general. */
export const findContactRule = (c: ContactCase, rules: readonly ContactRule[] = CONTACT_RULES): ContactRule =>
  rules.find((row) => matches(row, c)) ?? NO_RULE;

// Legal dates are local dates: a French law in force "from 11 August" applies from midnight in Paris.
const TIME_ZONES: Record<Jurisdiction, string> = { fr: 'Europe/Paris', de: 'Europe/Berlin', eu: 'Europe/Brussels' };
const formatters = new Map<string, Intl.DateTimeFormat>();
/** One formatter per jurisdiction and kind, made once: constructing one costs far more than formatting. */
const formatterOf = (jurisdiction: Jurisdiction, kind: 'date' | 'clock'): Intl.DateTimeFormat => {
  const key = `${jurisdiction}:${kind}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      'en-US',
      kind === 'date'
        ? { timeZone: TIME_ZONES[jurisdiction], year: 'numeric', month: '2-digit', day: '2-digit' }
        : {
            timeZone: TIME_ZONES[jurisdiction],
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          }
    );
    formatters.set(key, format);
  }
  return format;
};

/** The calendar date (YYYY-MM-DD) of `now` in the jurisdiction's legal time zone. */
// formatToParts is the costly part, and a bulk check or an audience judges every person at one instant. Kept
// per UTC second: time zone offsets are whole seconds, so a local midnight always falls on a second's start,
// and single checks arriving within the same second (hundreds under load) share one date.
const lastDate = { second: NaN, jurisdiction: '', date: '' };

export const legalDate = (now: Date, jurisdiction: Jurisdiction): string => {
  const second = Math.floor(now.getTime() / 1000);
  if (second === lastDate.second && jurisdiction === lastDate.jurisdiction) return lastDate.date;
  const parts = Object.fromEntries(
    formatterOf(jurisdiction, 'date')
      .formatToParts(now)
      .map((p) => [p.type, p.value])
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  Object.assign(lastDate, { second, jurisdiction, date });
  return date;
};

/** The legal time zone's offset from UTC at `instant`, in milliseconds. */
const offsetAt = (instant: number, jurisdiction: Jurisdiction): number => {
  const format = formatterOf(jurisdiction, 'clock');
  const p = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
};

/**
 * The instant a calendar date (YYYY-MM-DD) begins in the jurisdiction's legal time zone: midnight in
 * Berlin for `de`. European clocks change at 01:00 UTC, never at a local midnight, so the zone's offset at
 * that midnight is its offset one step later.
 */
export const legalDayStart = (date: string, jurisdiction: Jurisdiction): Date => {
  const [year, month, day] = date.split('-').map(Number);
  const midnightUtc = Date.UTC(year, month - 1, day);
  const guess = midnightUtc - offsetAt(midnightUtc, jurisdiction);
  return new Date(midnightUtc - offsetAt(guess, jurisdiction));
};

/**
 * The audience the rules apply to: the person's own, as recorded at collection; unknown is consumer (the
 * more protected group: a wrong "consumer" only asks for more than the law does). The purpose's audience
 * never decides it (C2, N9).
 */
export const contactAudience = (subject: Audience | null | undefined): ContactAudience =>
  subject === 'professional' ? 'professional' : 'consumer';

/**
 * SECTOR BANS. France bans canvassing by telephone, SMS, email and social networks for energy-renovation
 * and home-adaptation works (Law 2020-901 of 24 July 2020, extended by Loi 2025-594 art. 13), whatever the
 * consent, except within a current contract. Calls are never eligible, even within a contract: the plugin
 * cannot tell whether a call "relates to" the contract, and a wrong "no" only costs a call.
 */
export interface SectorBan {
  id: string;
  jurisdictions: readonly Jurisdiction[];
  sector: Sector;
  channels: readonly Channel[];
  /** A current contract and a contract-basis purpose lift the ban on these channels. */
  exceptWithinContract: boolean;
  source: string;
}

export const SECTOR_BANS: readonly SectorBan[] = [
  {
    id: 'fr-energy-renovation-calls',
    jurisdictions: ['fr'],
    sector: 'energy-renovation',
    channels: ['phone', 'automated-call'],
    exceptWithinContract: false,
    source: 'Loi 2020-901 du 24 juillet 2020; Code conso. L223-1; Loi 2025-594 art. 13',
  },
  {
    id: 'fr-energy-renovation-electronic',
    jurisdictions: ['fr'],
    sector: 'energy-renovation',
    channels: ['email', 'sms', 'fax', 'push'],
    exceptWithinContract: true,
    source: 'Loi 2025-594 art. 13',
  },
];

/** The ban that refuses this contact, if any. */
export const sectorBan = (c: {
  jurisdiction: Jurisdiction;
  channel: Channel;
  sector: Sector | null | undefined;
  basis: LegalBasis;
  currentContract: boolean;
}): SectorBan | null =>
  (c.sector &&
    SECTOR_BANS.find(
      (ban) =>
        ban.sector === c.sector &&
        ban.jurisdictions.includes(c.jurisdiction) &&
        ban.channels.includes(c.channel) &&
        !(ban.exceptWithinContract && c.basis === 'contract' && c.currentContract)
    )) ||
  null;

/**
 * The existing-customer exception (C1), as recorded on the person's ledger (`evidence.softOptIn` of an
 * event for this purpose and channel):
 *   (a) `sale`: the contact details were obtained from the person in the context of a sale (any truthy
 *       value, e.g. an order reference);
 *   (b) `similarProducts: true`: the messages promote the same controller's own similar products;
 *   (c) `objectionOffered: true`: the person was offered a free, easy way to object at collection;
 *   and the person did not object (an objection on record refuses contact anyway, point 1 above);
 *   (d) an opt-out in every message: the plugin's List-Unsubscribe headers and links provide it.
 */
export interface SoftOptInEvidence {
  sale?: unknown;
  similarProducts?: unknown;
  objectionOffered?: unknown;
}

export const SOFT_OPT_IN_ELEMENTS = ['sale', 'similarProducts', 'objectionOffered'] as const;

/** The elements (a)–(c) the record lacks; empty when the exception is fully evidenced. */
export const missingSoftOptInElements = (
  evidence: SoftOptInEvidence | null | undefined
): (typeof SOFT_OPT_IN_ELEMENTS)[number][] =>
  SOFT_OPT_IN_ELEMENTS.filter((element) => (element === 'sale' ? !evidence?.sale : evidence?.[element] !== true));

/** Whether suppression entries and opposition lists screen this purpose: direct marketing only (C4–C6). */
export const screenedBySuppression = (basis: LegalBasis, directMarketing: boolean | null | undefined): boolean =>
  isDirectMarketing(basis, directMarketing);

/**
 * Suppression entries refuse direct-marketing contact, whatever the basis (C4, C5). Service messages and
 * legal obligations are not marketing. An opposition list (Bloctel) exempts a call within a current
 * contract, which is what a contract-basis purpose with a current contract is (C6). An opposition-list
 * entry keeps blocking after 11 August 2026: the plugin cannot tell whether a later consent post-dates the
 * registration, so removing such entries is left to a deliberate decision.
 */
export const suppressionReasons = (
  purpose: { legalBasis: LegalBasis; directMarketing?: boolean | null },
  entries: readonly { reason: SuppressionReason }[],
  currentContract = false
): ContactReason[] => {
  if (!screenedBySuppression(purpose.legalBasis, purpose.directMarketing)) return [];
  const reasons: ContactReason[] = [];
  const withinContract = purpose.legalBasis === 'contract' && currentContract;
  if (!withinContract && entries.some((e) => e.reason === 'opposition-list')) reasons.push('opposition-list');
  if (entries.some((e) => e.reason !== 'opposition-list')) reasons.push('suppressed');
  return reasons;
};
