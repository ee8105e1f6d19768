/** Compliance reports (issue 22, R1–R4), admin routes under `/consent/reports` with the action `reports.manage`. */

/** A stored report as listed: its period, purposes and the SHA-256 of its signed JSON, without the body. */
export interface ReportSummary {
  id: string;
  /** `YYYY-MM-DD`, the first UTC day. */
  from: string;
  /** `YYYY-MM-DD`, the last UTC day, included. */
  to: string;
  purposes: string[];
  hash: string;
  generatedAt: string | null;
  generatedBy: string | null;
}

/** `GET /consent/reports`: the reports, newest first, and the purposes a report may cover. */
export interface ReportList {
  data: ReportSummary[];
  meta: { purposes: Array<{ key: string; name: string; active: boolean }> };
}
