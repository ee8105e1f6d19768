/**
 * The compliance report's rules (domain/report-rules.ts, domain/report-verification.ts) and its PDF writer
 * (reports/pdf.ts), read back with the tests' own extractor (test/harness/pdf-text.ts).
 */
import { deriveSigningKey, signCompact } from '../../server/src/domain/jws';
import {
  checkPeriod,
  confirmationRate,
  inForceDuring,
  processingRecord,
  reportCounts,
  reportHash,
  samplePositions,
} from '../../server/src/domain/report-rules';
import type { Jwk } from '../../server/src/domain/jws-verify';
import { REPORT_TYP, reportDocument, verifyReport } from '../../server/src/domain/report-verification';
import { pdfDocument, wrap } from '../../server/src/reports/pdf';
import { pdfText } from '../harness/pdf-text';

const NOW = new Date('2026-06-15T10:00:00Z');

describe('checkPeriod', () => {
  it('R4: whole UTC days, both ends included, as [since, until)', () => {
    expect(checkPeriod('2026-06-01', '2026-06-15', 31, NOW)).toEqual({
      ok: true,
      period: {
        from: '2026-06-01',
        to: '2026-06-15',
        since: new Date('2026-06-01T00:00:00Z'),
        until: new Date('2026-06-16T00:00:00Z'),
        days: 15,
      },
    });
    expect(checkPeriod('2026-06-15', '2026-06-15', 1, NOW)).toMatchObject({ ok: true, period: { days: 1 } });
  });

  it.each([
    ['2026-06-10', '2026-06-09', 'to', /not be before from/],
    ['2026-05-01', '2026-06-01', 'to', /spans 32 days; a report covers at most 31/],
    ['2026-02-30', '2026-06-01', 'from', /YYYY-MM-DD/],
    ['2026-06-01', '2026-6-2', 'to', /YYYY-MM-DD/],
    ['2026-06-16', '2026-06-17', 'from', /future/],
  ])('R4: %s to %s is refused on %s', (from, to, field, message) => {
    const check = checkPeriod(from, to, 31, NOW);
    expect(check).toMatchObject({ ok: false, field });
    expect(!check.ok && check.message).toMatch(message);
  });

  it('R4: a leap year fits in 366 days', () => {
    expect(checkPeriod('2024-01-01', '2024-12-31', 366, NOW)).toMatchObject({ ok: true, period: { days: 366 } });
    expect(checkPeriod('2024-01-01', '2025-01-01', 366, NOW)).toMatchObject({ ok: false, field: 'to' });
  });
});

describe('inForceDuring', () => {
  const period = { since: new Date('2026-06-01T00:00:00Z'), until: new Date('2026-06-08T00:00:00Z') };
  it.each([
    [
      'published before, still in force',
      { status: 'published', effectiveAt: '2026-01-01T00:00:00Z', retiredAt: null },
      true,
    ],
    ['published during', { status: 'published', effectiveAt: '2026-06-07T23:59:59Z', retiredAt: null }, true],
    ['published after', { status: 'published', effectiveAt: '2026-06-08T00:00:00Z', retiredAt: null }, false],
    [
      'retired during',
      { status: 'retired', effectiveAt: '2026-01-01T00:00:00Z', retiredAt: '2026-06-01T00:00:01Z' },
      true,
    ],
    [
      'retired before',
      { status: 'retired', effectiveAt: '2026-01-01T00:00:00Z', retiredAt: '2026-06-01T00:00:00Z' },
      false,
    ],
    ['a draft', { status: 'draft', effectiveAt: null, retiredAt: null }, false],
  ])('R1, A9: %s', (_name, notice, expected) => {
    expect(inForceDuring(notice, period)).toBe(expected);
  });
});

describe('counts and rates', () => {
  it('R1: every reported action has a count, zero when absent; the full breakdown is kept', () => {
    expect(reportCounts({ granted: 3, requested: 2, contacted: 1 }, 1)).toEqual({
      granted: 3,
      refused: 0,
      confirmed: 0,
      withdrawn: 0,
      objected: 0,
      expired: 0,
      erasures: 1,
      byAction: { granted: 3, requested: 2, contacted: 1 },
    });
  });

  it('R1: the double opt-in confirmation rate, null without a request', () => {
    expect(confirmationRate(3, 2)).toBe(0.6667);
    expect(confirmationRate(0, 0)).toBeNull();
    expect(confirmationRate(1, 2)).toBe(2);
  });

  it('R1: a sample has distinct positions within the count, sorted, at most the count', () => {
    let x = 0.3;
    const random = () => (x = (x * 9301 + 0.49297) % 1);
    for (const [count, size] of [
      [100, 5],
      [5, 5],
      [3, 10],
      [0, 5],
      [1, 1],
    ]) {
      const picked = samplePositions(count, size, random);
      expect(picked).toHaveLength(Math.min(count, size));
      expect(new Set(picked).size).toBe(picked.length);
      expect(picked.every((p) => p >= 0 && p < count)).toBe(true);
      expect(picked).toEqual([...picked].sort((a, b) => a - b));
    }
    expect(samplePositions(5, 5, () => 0.99)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('processingRecord', () => {
  it('R2: one Art. 30 activity per purpose from the catalogue and its notices, and the proof itself', () => {
    const record = processingRecord(
      { name: 'Shop GmbH', address: 'Berlin', contact: 'privacy@shop.example' },
      [
        {
          key: 'newsletter',
          name: 'Newsletter',
          description: null,
          legalBasis: 'consent',
          mechanism: 'opt-in',
          balancingTest: null,
          channels: ['email'],
          audience: 'any',
          lifetimeDays: 365,
          active: true,
        },
        {
          key: 'postal',
          name: 'Catalogue',
          description: 'By post',
          legalBasis: 'legitimate-interest',
          mechanism: 'opt-out',
          balancingTest: 'LIA-1',
          channels: ['postal'],
          audience: 'consumer',
          lifetimeDays: null,
          active: false,
        },
      ],
      [
        { purpose: 'newsletter', dataCategories: ['email address'], recipients: ['Mailer Ltd'] },
        { purpose: 'newsletter', dataCategories: ['email address', 'name'], recipients: null },
        { purpose: 'postal', dataCategories: ['postal address'], recipients: [] },
      ],
      { prospectMonths: 36, suppressionMinMonths: 36, suppressionMaxMonths: null, pendingTtlDays: 14, proofYears: 5 }
    );
    expect(record.controller.name).toBe('Shop GmbH');
    expect(record.activities[0]).toMatchObject({
      purpose: 'newsletter',
      legalBasis: 'Consent, GDPR Art. 6(1)(a)',
      dataSubjects: 'consumers and professionals',
      dataCategories: ['email address', 'name'],
      recipients: ['Mailer Ltd'],
    });
    expect(record.activities[0].retention).toMatch(/365 days.*36 months.*14 days/);
    expect(record.activities[1]).toMatchObject({
      legalBasis: 'Legitimate interest, GDPR Art. 6(1)(f)',
      balancingTest: 'LIA-1',
      dataSubjects: 'consumers',
      active: false,
    });
    expect(record.proofOfConsent.retention).toMatch(
      /personal fields 5 years after .*; do-not-contact entries at least 36 months, with no maximum/
    );
  });
});

describe('verifyReport', () => {
  const key = deriveSigningKey('unit-test-secret-0123456789abcdef0123');
  const other = deriveSigningKey('another-secret-0123456789abcdef012345');
  const report = {
    reportId: 'r-1',
    period: { from: '2026-06-01', to: '2026-06-07' },
    purposes: [{ key: 'newsletter', counts: { granted: 3 } }],
  };
  const jws = signCompact(report, key, REPORT_TYP);
  const keys: Jwk[] = [{ ...key.publicJwk }];

  it('R3: a report as the API answers it verifies, with the SHA-256 of its signed JSON', () => {
    const doc = reportDocument({ data: { id: 'r-1', report, jws } })!;
    expect(verifyReport(doc, keys)).toEqual({
      ok: true,
      reportId: 'r-1',
      period: report.period,
      hash: reportHash(JSON.stringify(report)),
      kid: key.publicJwk.kid,
    });
    // Key order in the file does not matter: the content does.
    const reordered = { purposes: report.purposes, period: report.period, reportId: 'r-1' };
    expect(verifyReport({ report: reordered, jws }, keys).ok).toBe(true);
  });

  it.each([
    [
      'an edited count',
      { report: { ...report, purposes: [{ key: 'newsletter', counts: { granted: 4 } }] }, jws },
      /differs from the signed report/,
    ],
    ['another key', { report, jws: signCompact(report, other, REPORT_TYP) }, /no key .* in the JWK set/],
    [
      'a receipt, not a report',
      { report, jws: signCompact(report, key, 'consent-receipt+jwt') },
      /not a compliance report/,
    ],
    [
      'an edited payload',
      {
        report,
        jws: jws.replace(
          /\.[^.]+\./,
          `.${Buffer.from(JSON.stringify({ ...report, reportId: 'r-2' })).toString('base64url')}.`
        ),
      },
      /signature does not verify/,
    ],
    ['no JWS', { report, jws: 42 }, /jws is not a string/],
  ])('R3: %s fails', (_name, doc, problem) => {
    const check = verifyReport(doc, keys);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problem).toMatch(problem);
  });

  it('R3: only files holding a report and a JWS are report files', () => {
    expect(reportDocument({ format: 'x' })).toBeNull();
    expect(reportDocument([1])).toBeNull();
    expect(reportDocument({ report, jws })).toEqual({ report, jws });
  });
});

describe('pdfDocument', () => {
  it('R3: a valid PDF 1.4 whose text reads back, WinAnsi letters and PDF delimiters included', () => {
    const pdf = pdfDocument(
      [
        { text: 'Einwilligungsbericht – Übersicht', style: 'title' },
        { text: 'Prénom (facultatif) \\ “quoted” €5 • done', style: 'body' },
        { text: 'f'.repeat(64), style: 'mono' },
      ],
      { title: 'Test (1)', footer: 'footer text' }
    );
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    // The xref offsets point at the objects they name.
    const xrefAt = Number(/startxref\n(\d+)/.exec(text)![1]);
    expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const offsets = [...text.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((offset, i) => expect(text.slice(offset).startsWith(`${i + 1} 0 obj`)).toBe(true));
    const read = pdfText(pdf);
    expect(read).toContain('Einwilligungsbericht – Übersicht');
    expect(read).toContain('Prénom (facultatif) \\ “quoted” €5 • done');
    expect(read).toContain('f'.repeat(64));
    expect(read).toContain('footer text - page 1 of 1');
  });

  it('R3: long text wraps within the page and breaks onto new pages, each numbered', () => {
    const blocks = Array.from({ length: 150 }, (_, i) => ({ text: `Line ${i} ${'word '.repeat(30)}`.trim() }));
    const read = pdfText(pdfDocument(blocks, { title: 't', footer: 'f' }));
    const pages = Number(/page 1 of (\d+)/.exec(read)![1]);
    expect(pages).toBeGreaterThan(3);
    expect(read).toContain(`page ${pages} of ${pages}`);
    expect(read).toContain('Line 149');
  });

  it('wraps at spaces and cuts a word longer than the line', () => {
    expect(wrap('aaa bbb ccc', 'mono', 10, 30)).toEqual(['aaa', 'bbb', 'ccc']);
    expect(wrap('a'.repeat(20), 'mono', 10, 60)).toEqual(['a'.repeat(10), 'a'.repeat(10)]);
    expect(wrap('one\ntwo', 'regular', 10, 500)).toEqual(['one', 'two']);
  });
});
