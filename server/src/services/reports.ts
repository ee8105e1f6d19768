import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ConsentAction } from '../../../shared/contracts/domain';
import type { Purpose } from '../../../shared/contracts/purposes';
import type { ReportSummary } from '../../../shared/contracts/reports';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, UID } from '../constants';
import { cronTasks } from '../cron-tasks';
import { fromEventColumns } from '../database/ledger-rows';
import {
  confirmationRate,
  inForceDuring,
  processingRecord,
  reportCounts,
  reportHash,
  samplePositions,
  type ReportPeriod,
} from '../domain/report-rules';
import { REPORT_TYP } from '../domain/report-verification';
import { SYSTEM_ACTOR } from '../domain/retention-rules';
import { getService } from '../utils/get-service';
import { iso, json } from '../utils/row-values';

/** What identifies a report's format to a reader and to the offline verifier. */
export const REPORT_FORMAT = 'strapi-plugin-consent/compliance-report@1';

interface ReportRow {
  id: number;
  reportId: string;
  periodFrom: string;
  periodTo: string;
  purposes: string[] | string;
  body: string;
  hash: string;
  jws: string;
  generatedBy: string | null;
  createdAt: string | Date;
}

export interface StoredReport {
  id: string;
  report: Record<string, unknown>;
  jws: string;
  hash: string;
}

const NOTICE_FIELDS = [
  'id',
  'purpose',
  'language',
  'version',
  'status',
  'title',
  'body',
  'withdrawalText',
  'dataCategories',
  'recipients',
  'privacyPolicyUrl',
  'material',
  'contentHash',
  'effectiveAt',
  'retiredAt',
];

/**
 * Compliance reports (issue 22 part 1; R1–R3): the one writer of `consent_reports`. A report is computed
 * from the ledger with aggregates (never by loading the period's events), signed with the receipt key and
 * stored as signed; reads give back exactly what was signed.
 */
const reports = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
  const ledger = () => getService('ledger');

  /** R1: per purpose, the period's events counted by action in the database, and the erasures among them. */
  const countsOf = async (purposes: string[], period: ReportPeriod) => {
    const byAction = new Map<string, Partial<Record<ConsentAction, number>>>(purposes.map((p) => [p, {}]));
    const rows = await ledger().actionCountsIn(purposes, period);
    for (const r of rows) byAction.get(r.purpose)![r.action as ConsentAction] = Number(r.n);
    const erased = new Map<string, number>();
    const erasures = await ledger().erasureCountsIn(purposes, period);
    for (const r of erasures) erased.set(r.purpose, Number(r.n));
    return new Map(purposes.map((p) => [p, reportCounts(byAction.get(p)!, erased.get(p) ?? 0)]));
  };

  /** R1: every notice version of the purpose in force at some time during the period, oldest first. */
  const noticesOf = async (purposes: string[], period: ReportPeriod) => {
    const rows: any[] = await getService('notices').versionsByLanguage(purposes, NOTICE_FIELDS);
    return rows
      .filter((n) => inForceDuring(n, period))
      .map((n) => ({
        id: n.id,
        purpose: n.purpose,
        language: n.language,
        version: n.version,
        title: n.title,
        body: n.body,
        withdrawalText: n.withdrawalText ?? null,
        dataCategories: json<string[]>(n.dataCategories) ?? [],
        recipients: json<string[]>(n.recipients) ?? [],
        privacyPolicyUrl: n.privacyPolicyUrl ?? null,
        hash: n.contentHash,
        material: !!n.material,
        publishedAt: iso(n.effectiveAt),
        retiredAt: iso(n.retiredAt),
      }));
  };

  /**
   * R1: a random sample of the purpose's events in the period, each with the signed receipt that covers
   * it when there is one: one count and one keyed read per event drawn, whatever the period's size.
   */
  const sampleOf = async (purpose: string, period: ReportPeriod, size: number) => {
    const count = await ledger().countOfPurposeIn(purpose, period);
    const events = [];
    for (const offset of samplePositions(count, size)) {
      const row = await ledger().eventOfPurposeAt(purpose, period, offset);
      if (row) events.push(fromEventColumns(row));
    }
    const receiptIds = [...new Set(events.map((e) => e.receiptId).filter((r): r is string => typeof r === 'string'))];
    const receipts = await getService('receipts').jwsById(receiptIds);
    return {
      eventsInPeriod: count,
      proofs: events.map((e) => ({
        event: { ...e, seq: Number(e.seq), occurredAt: iso(e.occurredAt) },
        receipt: typeof e.receiptId === 'string' ? (receipts.get(e.receiptId) ?? null) : null,
      })),
    };
  };

  /**
   * R1: the do-not-contact entries added during the period, by reason, source and channel. The plugin
   * keeps no log of import runs: each group's first and last entry times date it, and entries an import
   * found already listed (or a later `replace` removed) are not in it.
   */
  const suppressionsOf = async (period: ReportPeriod) => {
    const rows = await getService('suppression').addedIn(period);
    return {
      note: 'Entries added during the period, grouped by reason, source and channel; the plugin keeps no separate log of each import run.',
      groups: rows.map((r: any) => ({
        reason: r.reason,
        source: r.source,
        channel: r.channel,
        entries: Number(r.n),
        firstAddedAt: iso(r.first),
        lastAddedAt: iso(r.last),
      })),
      totalEntries: await getService('suppression').count(),
    };
  };

  /**
   * R1: retention settings and what is known of the jobs' runs. Runs are not recorded (cron-tasks.ts only
   * logs them), so the report says so and gives their traces in the ledger: the `expired` events the jobs
   * write as actor `system`.
   */
  const retentionOf = async (purposes: Purpose[], period: ReportPeriod) => {
    const { retention, doubleOptIn } = config();
    const { inside, before } = await ledger().systemExpiries(SYSTEM_ACTOR, period);
    return {
      settings: {
        prospectMonths: retention.prospectMonths,
        subscriberJurisdictions: retention.subscriberJurisdictions,
        repermissionDays: retention.repermissionDays,
        suppressionMinMonths: retention.suppressionMinMonths,
        suppressionMaxMonths: retention.suppressionMaxMonths,
        importBatchDays: retention.importBatchDays,
        proofYears: retention.proofYears,
        // The sends' recipient addresses and the webhook outbox's rows: personal data, or its traces, that
        // the nightly jobs also clear.
        messageAddressDays: retention.messageAddressDays,
        webhookDeliveredDays: retention.webhookDeliveredDays,
        webhookFailedDays: retention.webhookFailedDays,
        doubleOptInPendingTtlDays: doubleOptIn.pendingTtlDays,
        consentLifetimeDays: Object.fromEntries(purposes.map((p) => [p.key, p.lifetimeDays])),
      },
      jobs: Object.entries(cronTasks(strapi)).map(([name, task]) => ({ name, schedule: task.options.rule })),
      cronEnabled: strapi.config.get<boolean>('server.cron.enabled', true) !== false,
      runsRecorded: false,
      runs: 'Job runs are not recorded by the plugin (only logged by the server); their traces in the ledger follow.',
      ledgerTraces: {
        systemExpiriesInPeriod: Number(inside?.n ?? 0),
        lastSystemExpiryInPeriod: iso(inside?.last),
        lastSystemExpiryBeforePeriodEnd: iso(before?.last),
      },
    };
  };

  /** J1: the whole ledger, checked now: the chain, its head and the replay of the states. */
  const ledgerOf = async () => {
    // From the first event (every checkpoint checked too); the report keeps the fields it always had, and
    // names the checkpoints found altered only when there are some.
    const { ok, checked, pruned, firstBadEvent, badCheckpoints } = await ledger().verify({ from: 'start' });
    const verification = { ok, checked, pruned, firstBadEvent, ...(badCheckpoints.length ? { badCheckpoints } : {}) };
    const head = await ledger().head();
    const replay = await ledger().replay();
    return {
      head,
      verification,
      replay: { ok: replay.ok, checked: replay.checked, mismatches: replay.mismatches.length },
    };
  };

  const toSummary = (row: ReportRow): ReportSummary => ({
    id: row.reportId,
    from: row.periodFrom,
    to: row.periodTo,
    purposes: json<string[]>(row.purposes) ?? [],
    hash: row.hash,
    generatedAt: iso(row.createdAt),
    generatedBy: row.generatedBy ?? null,
  });

  return {
    /**
     * Builds, signs and stores a report over `period` for `requested` purposes, which the request's
     * validation found to exist (validation/reports.ts). One deleted since then was never used (only those
     * can be deleted): it has nothing to report and drops out. Returns its id.
     */
    async generate(period: ReportPeriod, requested: string[], generatedBy: string | null): Promise<{ id: string }> {
      const all = await getService('purposes').list();
      const byKey = new Map(all.map((p) => [p.key, p]));
      const chosen = requested.flatMap((k) => byKey.get(k) ?? []);
      const keys = chosen.map((p) => p.key);
      const { reports: options, controller, retention, doubleOptIn } = config();

      const counts = await countsOf(keys, period);
      const notices = await noticesOf(keys, period);
      const purposes = [];
      for (const p of chosen) {
        const c = counts.get(p.key)!;
        const requested = c.byAction.requested ?? 0;
        purposes.push({
          key: p.key,
          name: p.name,
          description: p.description || null,
          legalBasis: p.legalBasis,
          mechanism: p.mechanism,
          balancingTest: p.balancingTest,
          channels: p.channels,
          doubleOptIn: p.doubleOptIn,
          lifetimeDays: p.lifetimeDays,
          active: p.active,
          notices: notices.filter((n) => n.purpose === p.key).map(({ purpose: _purpose, ...n }) => n),
          counts: c,
          doubleOptInConfirmation: {
            requested,
            confirmed: c.confirmed,
            rate: confirmationRate(requested, c.confirmed),
          },
          sample: await sampleOf(p.key, period, options.sampleSize),
        });
      }
      const published: any[] = await getService('notices').publishedCategories();

      const id = randomUUID();
      const report = {
        format: REPORT_FORMAT,
        reportId: id,
        generatedAt: new Date().toISOString(),
        generatedBy,
        period: {
          from: period.from,
          to: period.to,
          since: period.since.toISOString(),
          until: period.until.toISOString(),
          days: period.days,
        },
        controller,
        ledger: await ledgerOf(),
        purposes,
        suppressions: await suppressionsOf(period),
        retention: await retentionOf(chosen, period),
        processingRecord: processingRecord(
          controller,
          all.map((p) => ({ ...p, description: p.description || null })),
          published.map((n) => ({
            purpose: n.purpose,
            dataCategories: json<string[]>(n.dataCategories),
            recipients: json<string[]>(n.recipients),
          })),
          { ...retention, pendingTtlDays: doubleOptIn.pendingTtlDays }
        ),
      };
      // Serialised once: this exact text is the JWS payload, and what is stored, hashed and printed.
      const body = JSON.stringify(report);
      const jws = getService('receipts').signAs(body, REPORT_TYP);
      await strapi.db.query(UID.report).create({
        data: {
          reportId: id,
          periodFrom: period.from,
          periodTo: period.to,
          purposes: keys,
          body,
          hash: reportHash(body),
          jws,
          generatedBy,
        },
      });
      return { id };
    },

    /** Every report, newest first, without their bodies. */
    async list(): Promise<ReportSummary[]> {
      const rows: ReportRow[] = await strapi.db.query(UID.report).findMany({
        select: ['reportId', 'periodFrom', 'periodTo', 'purposes', 'hash', 'generatedBy', 'createdAt'],
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
      return rows.map(toSummary);
    },

    /** One report as signed; 404 for an unknown id. */
    async find(id: string): Promise<StoredReport & { summary: ReportSummary }> {
      const row: ReportRow | null = await strapi.db.query(UID.report).findOne({ where: { reportId: id } });
      if (!row) throw new errors.NotFoundError(`No report with id ${id}`);
      return { id: row.reportId, report: JSON.parse(row.body), jws: row.jws, hash: row.hash, summary: toSummary(row) };
    },
  };
};

export default reports;
export type ReportsService = ReturnType<typeof reports>;
