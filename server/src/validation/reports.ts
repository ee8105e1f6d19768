import { errors, validateYupSchema, yup } from '@strapi/utils';
import { checkPeriod, type ReportPeriod } from '../domain/report-rules';
import { NO_UNKNOWN_ROOT, objectBody, slug, uniqueItems } from './common';

/** Purposes one report may cover: a catalogue is tens of purposes, not thousands. */
export const REPORT_PURPOSES_MAX = 100;
const REPORT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const fail = (path: string, message: string): never => {
  throw new errors.ValidationError(message, { errors: [{ path: [path], message }] });
};

const body = validateYupSchema(
  yup
    .object({
      from: yup.string().strict().required(),
      to: yup.string().strict().required(),
      purposes: yup
        .array()
        .of(slug().strict().required())
        .strict()
        .min(1, '${path} must name at least one purpose')
        .max(REPORT_PURPOSES_MAX, `\${path} must name at most ${REPORT_PURPOSES_MAX} purposes`)
        .test(uniqueItems('purpose'))
        .required(),
    })
    .noUnknown(true, NO_UNKNOWN_ROOT),
  { strict: true }
);

/**
 * `POST /consent/reports` (R4): dates as YYYY-MM-DD, the end not before the start, at most
 * `reports.maxSpanDays` days, and purposes that exist (archived ones included: a report may cover the
 * past). Each refusal names its field; nothing is read from the ledger before all of them hold.
 */
export const validateReportRequest = async (
  input: unknown,
  maxSpanDays: number,
  unknownPurposes: (keys: string[]) => Promise<string[]>,
  now = new Date()
): Promise<{ period: ReportPeriod; purposes: string[] }> => {
  const v = (await body(objectBody(input))) as { from: string; to: string; purposes: string[] };
  const check = checkPeriod(v.from, v.to, maxSpanDays, now);
  if (!check.ok) return fail(check.field, check.message);
  const unknown = await unknownPurposes(v.purposes);
  if (unknown.length) fail('purposes', `purposes names unknown purpose(s): ${unknown.join(', ')}`);
  return { period: check.period, purposes: v.purposes };
};

export const validateReportId = validateYupSchema(
  yup.object({ id: yup.string().required().matches(REPORT_ID, '${path} must be a report id (a UUID)') })
);
