import { defineContentType } from '../define';

/**
 * Compliance reports as generated and signed (issue 22, R3). A report is evidence of what the ledger said
 * on the day it was made: never changed, never deleted (database/report-guard.ts). `body` is the JSON
 * exactly as signed, kept as text so its bytes, and so its SHA-256, survive every database.
 */
export default defineContentType({
  collectionName: 'consent_reports',
  singularName: 'report',
  pluralName: 'reports',
  displayName: 'Compliance report',
  description: 'Signed compliance reports over a period and purposes (never changed).',
  attributes: {
    reportId: { type: 'string', required: true, maxLength: 36 },
    periodFrom: { type: 'string', required: true, maxLength: 10 },
    periodTo: { type: 'string', required: true, maxLength: 10 },
    purposes: { type: 'json', required: true },
    body: { type: 'text', required: true },
    /** SHA-256 (hex) of `body`: what the PDF prints and a verifier compares. */
    hash: { type: 'string', required: true, maxLength: 64 },
    jws: { type: 'text', required: true },
    generatedBy: { type: 'string', maxLength: 255 },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [{ name: 'consent_reports_report_id_uq', columns: ['report_id'], type: 'unique' }],
});
