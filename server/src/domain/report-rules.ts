import { createHash } from 'node:crypto';
import type { Audience, Channel, ConsentAction, LegalBasis } from '../../../shared/contracts/domain';

/**
 * The rules of the compliance report (issue 22, R1–R4): which period a report may cover, which notice
 * versions were in force during it, how its counts and rates read, and the record of processing
 * activities (GDPR Art. 30) the catalogue yields. Pure: the reports service reads, these decide.
 */

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAY_MS = 86_400_000;

/** A report's period: whole UTC days, `from` and `to` included; `since`/`until` are its instants [since, until). */
export interface ReportPeriod {
  from: string;
  to: string;
  since: Date;
  until: Date;
  days: number;
}

export type PeriodCheck = { ok: true; period: ReportPeriod } | { ok: false; field: 'from' | 'to'; message: string };

/** A `YYYY-MM-DD` that names a real day (2026-02-31 does not), as its UTC midnight. */
export const dayStart = (day: string): Date | null => {
  if (!DAY.test(day)) return null;
  const date = new Date(`${day}T00:00:00.000Z`);
  return date.toISOString().slice(0, 10) === day ? date : null;
};

/**
 * R4: a period ends on or after its start, spans at most `maxSpanDays` days (both ends counted) and does
 * not start in the future: a report on days that have not happened would certify nothing.
 */
export const checkPeriod = (from: string, to: string, maxSpanDays: number, now: Date): PeriodCheck => {
  const since = dayStart(from);
  if (!since) return { ok: false, field: 'from', message: 'from must be a date as YYYY-MM-DD (UTC)' };
  const last = dayStart(to);
  if (!last) return { ok: false, field: 'to', message: 'to must be a date as YYYY-MM-DD (UTC)' };
  if (last < since) return { ok: false, field: 'to', message: 'to must not be before from' };
  if (since.getTime() > now.getTime()) return { ok: false, field: 'from', message: 'from must not be in the future' };
  const days = Math.round((last.getTime() - since.getTime()) / DAY_MS) + 1;
  if (days > maxSpanDays) {
    return {
      ok: false,
      field: 'to',
      message: `the period spans ${days} days; a report covers at most ${maxSpanDays} (reports.maxSpanDays)`,
    };
  }
  return { ok: true, period: { from, to, since, until: new Date(last.getTime() + DAY_MS), days } };
};

export interface NoticeVersionFacts {
  status: string;
  effectiveAt: Date | string | null;
  retiredAt: Date | string | null;
}

const time = (d: Date | string | null) => (d == null ? null : new Date(d).getTime());

/**
 * R1: a notice version was in force during the period when it was published before the period ended and
 * not retired before it began. Drafts were never shown to anyone.
 */
export const inForceDuring = (notice: NoticeVersionFacts, period: Pick<ReportPeriod, 'since' | 'until'>): boolean => {
  if (notice.status === 'draft') return false;
  const effective = time(notice.effectiveAt);
  const retired = time(notice.retiredAt);
  if (effective === null || effective >= period.until.getTime()) return false;
  return retired === null || retired > period.since.getTime();
};

/** The counts a report gives per purpose, named after the ledger's actions (erasures: see `ERASURE_MARK`). */
export const REPORTED_ACTIONS = [
  'granted',
  'refused',
  'confirmed',
  'withdrawn',
  'objected',
  'expired',
] as const satisfies readonly ConsentAction[];

export type ReportCounts = Record<(typeof REPORTED_ACTIONS)[number], number> & {
  /** Withdrawals and objections that an erasure (Art. 17) recorded: a subset of those two counts. */
  erasures: number;
  /** Every action of the ledger, including those above: nothing in the period is left out. */
  byAction: Partial<Record<ConsentAction, number>>;
};

/** The evidence an erasure writes on the events it records (services/rights.ts). */
export const ERASURE_MARK = 'erasure';

export const reportCounts = (byAction: Partial<Record<ConsentAction, number>>, erasures: number): ReportCounts => ({
  ...(Object.fromEntries(REPORTED_ACTIONS.map((a) => [a, byAction[a] ?? 0])) as Record<
    (typeof REPORTED_ACTIONS)[number],
    number
  >),
  erasures,
  byAction,
});

/**
 * R1: the double opt-in confirmation rate, confirmations over requests in the period, rounded to four
 * places; null without a request. A confirmation of a request made before the period counts, so the rate
 * may exceed 1 for a short period: both counts are given beside it.
 */
export const confirmationRate = (requested: number, confirmed: number): number | null =>
  requested > 0 ? Math.round((confirmed / requested) * 10_000) / 10_000 : null;

/**
 * Picks up to `size` distinct positions among `count`, with `random` in [0, 1): a sample of proofs that
 * the operator did not choose. Partial Fisher-Yates over the positions drawn so far only.
 */
export const samplePositions = (count: number, size: number, random: () => number = Math.random): number[] => {
  const n = Math.max(0, Math.min(size, count));
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const j = i + Math.floor(random() * (count - i));
    out.push(swapped.get(j) ?? j);
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out.sort((a, b) => a - b);
};

/** R3: the SHA-256 (hex) of the report's JSON as signed: the bytes of the JWS payload. */
export const reportHash = (json: string): string => createHash('sha256').update(json, 'utf8').digest('hex');

export interface ProcessingPurpose {
  key: string;
  name: string;
  description: string | null;
  legalBasis: LegalBasis;
  mechanism: 'opt-in' | 'opt-out' | 'none';
  balancingTest: string | null;
  channels: Channel[];
  audience: Audience;
  lifetimeDays: number | null;
  active: boolean;
}

export interface ProcessingNotice {
  purpose: string;
  dataCategories: string[] | null;
  recipients: string[] | null;
}

export interface RetentionFacts {
  prospectMonths: number;
  suppressionMinMonths: number;
  suppressionMaxMonths: number | null;
  pendingTtlDays: number;
  /** I5: years after a consent ended before its events lose their personal fields; null keeps them. */
  proofYears: number | null;
}

const LEGAL_BASIS_TEXT: Record<LegalBasis, string> = {
  consent: 'Consent, GDPR Art. 6(1)(a)',
  'legitimate-interest': 'Legitimate interest, GDPR Art. 6(1)(f)',
  contract: 'Performance of a contract, GDPR Art. 6(1)(b)',
  'legal-obligation': 'Legal obligation, GDPR Art. 6(1)(c)',
};

const AUDIENCE_TEXT: Record<Audience, string> = {
  consumer: 'consumers',
  professional: 'professionals',
  any: 'consumers and professionals',
};

const sortedUnion = (lists: Array<string[] | null>) => [...new Set(lists.flatMap((l) => l ?? []))].sort();

/**
 * R2: the record of processing activities (GDPR Art. 30(1)) for the plugin's purposes, from the catalogue:
 * controller, purpose, legal basis, categories of people and of data, recipients and time limits. The
 * data categories and recipients are those the purpose's published notices state (A7); the consent proof
 * itself is one more processing, for Art. 7(1), with the ledger's own retention.
 */
export const processingRecord = (
  controller: { name: string; address: string; contact: string },
  purposes: ProcessingPurpose[],
  notices: ProcessingNotice[],
  retention: RetentionFacts
) => ({
  controller,
  activities: purposes.map((p) => {
    const own = notices.filter((n) => n.purpose === p.key);
    const lifetime = p.lifetimeDays ? `consent lapses ${p.lifetimeDays} days after it was given unless renewed; ` : '';
    return {
      purpose: p.key,
      name: p.name,
      description: p.description,
      legalBasis: LEGAL_BASIS_TEXT[p.legalBasis],
      mechanism: p.mechanism,
      balancingTest: p.balancingTest,
      dataSubjects: AUDIENCE_TEXT[p.audience],
      dataCategories: sortedUnion(own.map((n) => n.dataCategories)),
      recipients: sortedUnion(own.map((n) => n.recipients)),
      channels: p.channels,
      retention:
        `${lifetime}identifiers of people without a current grant are deleted ${retention.prospectMonths} months after their last own act; ` +
        `unconfirmed double opt-in requests after ${retention.pendingTtlDays} days`,
      active: p.active,
    };
  }),
  proofOfConsent: {
    purpose: 'Demonstrating consent and objections (GDPR Art. 7(1), 21)',
    legalBasis: LEGAL_BASIS_TEXT['legal-obligation'],
    dataCategories: [
      'pseudonymous consent events',
      'notice versions shown',
      'signed receipts',
      'keyed hashes of identifiers on the do-not-contact list',
    ],
    recipients: [],
    retention:
      (retention.proofYears === null
        ? 'the ledger and receipts are kept while the installation runs (append-only)'
        : `the events of an ended consent lose their personal fields ${retention.proofYears} years after its last event (hashes kept), and receipts no event names any more go`) +
      `; do-not-contact entries at least ${retention.suppressionMinMonths} months` +
      (retention.suppressionMaxMonths === null
        ? ', with no maximum'
        : `, at most ${retention.suppressionMaxMonths} months`),
  },
});

export type ProcessingRecord = ReturnType<typeof processingRecord>;
