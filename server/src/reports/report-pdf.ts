import { pdfDocument, type PdfBlock } from './pdf';

/**
 * The compliance report as a reader sees it (issue 22): the signed JSON, laid out as text, with the
 * SHA-256 of that JSON and how to check it first, so a printed copy can be tied to the signed one.
 */

type Json = any;

const COUNT_LABELS: Array<[string, string]> = [
  ['granted', 'Grants'],
  ['refused', 'Refusals'],
  ['confirmed', 'Confirmations (double opt-in)'],
  ['withdrawn', 'Withdrawals'],
  ['objected', 'Objections'],
  ['expired', 'Expiries'],
  ['erasures', 'Erasures (withdrawals and objections recorded by an erasure)'],
];

const orNone = (v: unknown) => (v === null || v === undefined || v === '' ? '-' : String(v));
const list = (items: unknown[] | null | undefined) => (items && items.length ? items.join(', ') : 'none');
const percent = (rate: number | null) =>
  rate === null ? 'no request in the period' : `${Math.round(rate * 1000) / 10} %`;

export const reportBlocks = (report: Json, hash: string, jwksUrl: string, kid: string | null): PdfBlock[] => {
  const b: PdfBlock[] = [];
  const text = (t: string, indent = 0) => b.push({ text: t, style: 'body', indent });
  const field = (label: string, value: unknown, indent = 0) => text(`${label}: ${orNone(value)}`, indent);

  b.push({ text: 'Consent compliance report', style: 'title' });
  text(`Period: ${report.period.from} to ${report.period.to} (UTC, both days included; ${report.period.days} days)`);
  text(`Purposes: ${report.purposes.map((p: Json) => p.key).join(', ')}`);
  text(`Generated: ${report.generatedAt} by ${orNone(report.generatedBy)}; report id ${report.reportId}`);
  text(
    `Controller: ${orNone(report.controller.name)}, ${orNone(report.controller.address)}, ${orNone(report.controller.contact)}`
  );

  b.push({ text: 'How to verify this report', style: 'heading' });
  text('SHA-256 of the signed JSON report:');
  b.push({ text: hash, style: 'mono', indent: 12 });
  text(
    'The JSON report is signed with the key that signs consent receipts (JWS, EdDSA' +
      (kid ? `, key id ${kid}` : '') +
      `). The public keys are published at ${jwksUrl}. To check it without this server: download the JSON ` +
      '(admin: Consent > Reports, or GET /consent/reports/:id) and the JWK set, then run'
  );
  b.push({ text: 'npx strapi-plugin-consent verify report.json --jwks jwks.json', style: 'mono', indent: 12 });
  text(
    'It checks the signature, that the report in the file is the one signed, and prints the SHA-256 above. ' +
      'Any JOSE library does the same with the "jws" value and the JWK set; the SHA-256 is that of the JWS payload.'
  );

  const { ledger } = report;
  b.push({ text: 'The whole ledger, checked when the report was generated', style: 'heading' });
  field(
    'Hash chain',
    ledger.verification.ok
      ? `intact (${ledger.verification.checked} events recomputed${ledger.verification.pruned ? `, ${ledger.verification.pruned} of them pruned at the end of their proof period` : ''})`
      : ledger.verification.firstBadEvent
        ? `BROKEN at event ${ledger.verification.firstBadEvent.seq}: ${ledger.verification.firstBadEvent.problem}`
        : `intact, but ${ledger.verification.badCheckpoints?.length ?? 0} signed checkpoint(s) altered or forged`
  );
  field('Head', `sequence ${ledger.head.seq}`);
  b.push({ text: ledger.head.hash, style: 'mono', indent: 12 });
  field(
    'Replay (states equal a replay of the ledger)',
    ledger.replay.ok ? `yes (${ledger.replay.checked} states)` : `NO: ${ledger.replay.mismatches} difference(s)`
  );

  for (const p of report.purposes) {
    b.push({ text: `Purpose ${p.key}: ${p.name}`, style: 'heading' });
    if (p.description) text(p.description);
    field('Legal basis', p.legalBasis);
    field('Mechanism', p.mechanism);
    if (p.balancingTest) field('Balancing test', p.balancingTest);
    field('Channels', list(p.channels));
    field('Double opt-in', p.doubleOptIn ? 'yes' : 'no');
    field('Consent lifetime', p.lifetimeDays ? `${p.lifetimeDays} days` : 'none (consent does not lapse)');
    if (!p.active) text('Archived: no longer offered.');

    b.push({ text: 'Events in the period', style: 'subheading' });
    for (const [key, label] of COUNT_LABELS) field(label, p.counts[key], 12);
    const others = Object.entries(p.counts.byAction as Record<string, number>).filter(
      ([a]) => !COUNT_LABELS.some(([k]) => k === a)
    );
    if (others.length) field('Other events', others.map(([a, n]) => `${a} ${n}`).join(', '), 12);
    const doi = p.doubleOptInConfirmation;
    field(
      'Double opt-in confirmation rate',
      `${percent(doi.rate)} (${doi.confirmed} confirmations / ${doi.requested} requests)`,
      12
    );

    b.push({ text: `Notice versions in force during the period (${p.notices.length})`, style: 'subheading' });
    if (p.notices.length === 0) text('None.', 12);
    for (const n of p.notices) {
      text(`Version ${n.version} (${n.language})${n.material ? ', material change' : ''}: ${n.title}`, 12);
      field('Published', n.publishedAt, 24);
      field('Retired', n.retiredAt ?? 'still in force', 24);
      field('Data', list(n.dataCategories), 24);
      field('Recipients', list(n.recipients), 24);
      field('Privacy policy', n.privacyPolicyUrl, 24);
      text('Hash (SHA-256):', 24);
      b.push({ text: orNone(n.hash), style: 'mono', indent: 24 });
      b.push({ text: n.body, style: 'small', indent: 24 });
      if (n.withdrawalText) b.push({ text: n.withdrawalText, style: 'small', indent: 24 });
    }

    b.push({
      text: `Random sample of proofs (${p.sample.proofs.length} of ${p.sample.eventsInPeriod} events)`,
      style: 'subheading',
    });
    if (p.sample.proofs.length === 0) text('No event in the period.', 12);
    for (const { event, receipt } of p.sample.proofs) {
      text(
        `#${event.seq} ${event.occurredAt} ${event.action} (${event.channel}, ${event.method}, ${event.noticeVersion == null ? 'no notice' : `notice v${event.noticeVersion}`}) subject ${event.subject}`,
        12
      );
      b.push({ text: `event ${event.eventId} hash ${event.hash}`, style: 'mono', indent: 24 });
      b.push({
        text: receipt ? `receipt ${receipt}` : 'no receipt (not a form submission)',
        style: 'mono',
        indent: 24,
      });
    }
  }

  b.push({ text: 'Do-not-contact entries added in the period', style: 'heading' });
  text(report.suppressions.note);
  if (report.suppressions.groups.length === 0) text('None.', 12);
  for (const g of report.suppressions.groups) {
    text(
      `${g.reason}, source ${g.source}, channel ${g.channel}: ${g.entries} entries, ${g.firstAddedAt} to ${g.lastAddedAt}`,
      12
    );
  }
  field('Entries on the list when generated', report.suppressions.totalEntries);

  const r = report.retention;
  b.push({ text: 'Retention', style: 'heading' });
  for (const [k, v] of Object.entries(r.settings)) {
    field(
      k,
      typeof v === 'object' && v !== null
        ? Array.isArray(v)
          ? list(v)
          : Object.entries(v)
              .map(([a, c]) => `${a}: ${c ?? 'none'}`)
              .join(', ')
        : (v ?? 'none'),
      12
    );
  }
  field(
    'Scheduled jobs',
    `${r.jobs.map((j: Json) => `${j.name} (${j.schedule})`).join(', ')}; cron ${r.cronEnabled ? 'enabled' : 'DISABLED'} on the generating instance`
  );
  text(r.runs);
  field('Expiries recorded by the jobs in the period', r.ledgerTraces.systemExpiriesInPeriod, 12);
  field('Last one up to the end of the period', r.ledgerTraces.lastSystemExpiryBeforePeriodEnd, 12);

  const rec = report.processingRecord;
  b.push({ text: 'Record of processing activities (GDPR Art. 30)', style: 'heading' });
  field(
    'Controller',
    `${orNone(rec.controller.name)}, ${orNone(rec.controller.address)}, ${orNone(rec.controller.contact)}`
  );
  for (const a of rec.activities) {
    b.push({ text: `${a.name} (${a.purpose})${a.active ? '' : ', archived'}`, style: 'subheading' });
    if (a.description) text(a.description, 12);
    field('Legal basis', a.legalBasis, 12);
    if (a.balancingTest) field('Balancing test', a.balancingTest, 12);
    field('Data subjects', a.dataSubjects, 12);
    field('Data categories', list(a.dataCategories), 12);
    field('Recipients', list(a.recipients), 12);
    field('Channels', list(a.channels), 12);
    field('Time limits', a.retention, 12);
  }
  b.push({ text: rec.proofOfConsent.purpose, style: 'subheading' });
  field('Legal basis', rec.proofOfConsent.legalBasis, 12);
  field('Data categories', list(rec.proofOfConsent.dataCategories), 12);
  field('Time limits', rec.proofOfConsent.retention, 12);
  return b;
};

export const reportPdf = (report: Json, hash: string, jwksUrl: string, kid: string | null): Buffer =>
  pdfDocument(reportBlocks(report, hash, jwksUrl, kid), {
    title: `Consent compliance report ${report.period.from} to ${report.period.to}`,
    footer: `Report ${report.reportId} - SHA-256 ${hash}`,
    createdAt: new Date(report.generatedAt),
  });
