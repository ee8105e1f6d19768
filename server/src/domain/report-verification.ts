import { canonicalJson } from '../utils/canonical-json';
import { jwsHeader, verifyCompactJws, type Jwk } from './jws-verify';
import { reportHash } from './report-rules';

/**
 * R3: checking a compliance report file with nothing but the file and the JWK set. The file is what the
 * admin API answers for a report (`{ data: { id, report, jws } }`) or its `data` alone. It holds when the
 * JWS verifies against a key of the set, is a report's (its `typ`), and its payload is the report in the
 * file: an edited `report` or an edited `jws` both fail. The SHA-256 of the payload is the one the PDF
 * prints, so a printed copy can be tied to the signed one.
 */
export const REPORT_TYP = 'consent-report+jwt';

export type ReportCheck =
  | { ok: true; reportId: string | null; period: { from: string; to: string } | null; hash: string; kid: string | null }
  | { ok: false; problem: string };

/** The `{ report, jws }` of a parsed file, or null when it is not a report file. */
export const reportDocument = (parsed: unknown): { report: unknown; jws: unknown } | null => {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const inner = (parsed as { data?: unknown }).data ?? parsed;
  if (!inner || typeof inner !== 'object' || !('jws' in inner) || !('report' in inner)) return null;
  return inner as { report: unknown; jws: unknown };
};

export const verifyReport = (doc: { report: unknown; jws: unknown }, keys: Jwk[]): ReportCheck => {
  if (typeof doc.jws !== 'string') return { ok: false, problem: 'jws is not a string' };
  const check = verifyCompactJws(doc.jws, keys);
  if (!check.ok) return { ok: false, problem: `the report's signature: ${check.problem}` };
  // The signature held, so the header decodes.
  const { typ } = jwsHeader(doc.jws)!;
  if (typ !== REPORT_TYP)
    return { ok: false, problem: `the JWS is a ${String(typ)}, not a compliance report (${REPORT_TYP})` };
  let same: boolean;
  try {
    same = canonicalJson(check.payload) === canonicalJson(doc.report);
  } catch {
    same = false;
  }
  if (!same)
    return { ok: false, problem: 'the report in the file differs from the signed report (edited after signing)' };
  const report = check.payload as { reportId?: unknown; period?: { from?: unknown; to?: unknown } };
  return {
    ok: true,
    reportId: typeof report.reportId === 'string' ? report.reportId : null,
    period:
      typeof report.period?.from === 'string' && typeof report.period?.to === 'string'
        ? { from: report.period.from, to: report.period.to }
        : null,
    hash: reportHash(Buffer.from(doc.jws.split('.')[1], 'base64url').toString('utf8')),
    kid: check.kid,
  };
};
