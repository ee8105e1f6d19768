import { errors, validateYupSchema, yup } from '@strapi/utils';
import {
  ACTIONS,
  CHANNELS,
  METHODS,
  type Channel,
  type ConsentAction,
  type ConsentMethod,
} from '../../../shared/contracts/domain';
import { EVENTS_PAGE_SIZE_MAX, STATS_DEFAULT_DAYS, STATS_MAX_DAYS } from '../../../shared/contracts/records';
import { NO_UNKNOWN_ROOT, slug } from './common';

/**
 * Query strings of the ledger explorer, subject view and dashboard. Koa hands every value over as a
 * string (an array when a key repeats, which the string rules refuse), so numbers and dates are checked
 * as text and converted here.
 */

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
// A full time with its zone: without one, "10:00" would mean the server's local time.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const PSEUDONYM = /^[A-Za-z0-9_-]{1,64}$/;
const POSITIVE = /^[1-9]\d{0,8}$/;
const DAY_MS = 86_400_000;

const dayStart = (day: string) => {
  const date = new Date(`${day}T00:00:00.000Z`);
  // 2026-02-31 passes the pattern; Date rolls it over to March.
  return date.toISOString().slice(0, 10) === day ? date : null;
};

const instant = (label: string) =>
  yup
    .string()
    .test(
      'instant',
      `\${path} must be a ${label} date (YYYY-MM-DD, UTC) or an ISO 8601 time with its zone`,
      (v) => v == null || (DAY.test(v) ? !!dayStart(v) : INSTANT.test(v) && !Number.isNaN(Date.parse(v)))
    );

const day = () =>
  yup
    .string()
    .test('day', '${path} must be a date as YYYY-MM-DD (UTC)', (v) => v == null || (DAY.test(v) && !!dayStart(v)));

const positive = () => yup.string().matches(POSITIVE, '${path} must be a positive integer');

const filterFields = {
  subject: yup.string().matches(PSEUDONYM, '${path} must be a subject pseudonym'),
  email: yup.string().min(1).max(254),
  purpose: slug(),
  channel: yup.string().oneOf([...CHANNELS]),
  action: yup.string().oneOf([...ACTIONS]),
  method: yup.string().oneOf([...METHODS]),
  from: instant('start'),
  to: instant('end'),
};

/** The selection, with its time window as [since, until). */
export interface EventSelection {
  subject?: string;
  email?: string;
  purpose?: string;
  channel?: Channel;
  action?: ConsentAction;
  method?: ConsentMethod;
  since?: Date;
  until?: Date;
}

const fail = (path: string, message: string): never => {
  throw new errors.ValidationError(message, { errors: [{ path: [path], message }] });
};

const toSelection = (q: Record<string, string | undefined>): EventSelection => {
  if (q.subject !== undefined && q.email !== undefined) fail('email', 'email and subject exclude each other: give one');
  // A bare day means the whole UTC day on either end, so from=to=2026-05-01 is that day.
  const since = q.from === undefined ? undefined : DAY.test(q.from) ? dayStart(q.from)! : new Date(q.from);
  const until =
    q.to === undefined
      ? undefined
      : DAY.test(q.to)
        ? new Date(dayStart(q.to)!.getTime() + DAY_MS)
        : new Date(Date.parse(q.to) + 1);
  if (since && until && since >= until) fail('to', 'to must not be before from');
  return {
    subject: q.subject,
    email: q.email,
    purpose: q.purpose,
    channel: q.channel as Channel | undefined,
    action: q.action as ConsentAction | undefined,
    method: q.method as ConsentMethod | undefined,
    since,
    until,
  };
};

const validateList = validateYupSchema(
  yup
    .object({
      ...filterFields,
      page: positive(),
      pageSize: positive().test(
        'max',
        `\${path} must be at most ${EVENTS_PAGE_SIZE_MAX}`,
        (v) => v == null || Number(v) <= EVENTS_PAGE_SIZE_MAX
      ),
    })
    .noUnknown(true, NO_UNKNOWN_ROOT)
);

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;

const validateExport = validateYupSchema(
  yup
    .object({
      ...filterFields,
      format: yup.string().oneOf([...EXPORT_FORMATS], `\${path} must be one of ${EXPORT_FORMATS.join(', ')}`),
    })
    .noUnknown(true, NO_UNKNOWN_ROOT)
);

export const validateListEvents = async (query: unknown) => {
  const q = (await validateList(query ?? {})) as Record<string, string | undefined>;
  return {
    selection: toSelection(q),
    page: Number(q.page ?? 1),
    pageSize: Number(q.pageSize ?? 25),
  };
};

/** The selection and the file format (CSV unless `format=ndjson`). */
export const validateExportEvents = async (query: unknown) => {
  const q = (await validateExport(query ?? {})) as Record<string, string | undefined>;
  const { format, ...filters } = q;
  return { selection: toSelection(filters), format: (format ?? 'csv') as (typeof EXPORT_FORMATS)[number] };
};

export const validatePseudonym = validateYupSchema(
  yup.object({ pseudonym: yup.string().required().matches(PSEUDONYM, '${path} must be a subject pseudonym') })
);

const validateFind = validateYupSchema(
  yup
    .object({
      email: yup.string().min(1).max(254),
      phone: yup.string().min(1).max(32),
      externalId: yup.string().min(1).max(255),
    })
    .noUnknown(true, NO_UNKNOWN_ROOT)
    .test(
      'one-identifier',
      'the query needs exactly one of email, phone or externalId',
      (v) =>
        !!v &&
        ['email', 'phone', 'externalId'].filter((k) => (v as Record<string, unknown>)[k] !== undefined).length === 1
    )
);

export const validateFindSubject = async (query: unknown) => {
  const q = (await validateFind(query ?? {})) as Record<string, string | undefined>;
  const type = (['email', 'phone', 'externalId'] as const).find((k) => q[k] !== undefined)!;
  return { type, value: q[type]! };
};

const validateStatsQuery = validateYupSchema(yup.object({ from: day(), to: day() }).noUnknown(true, NO_UNKNOWN_ROOT));

/** The period as UTC days, inclusive: by default the 30 days up to today. */
export const validateStats = async (query: unknown, now = new Date()) => {
  const q = (await validateStatsQuery(query ?? {})) as { from?: string; to?: string };
  const to = q.to ? dayStart(q.to)! : dayStart(now.toISOString().slice(0, 10))!;
  const from = q.from ? dayStart(q.from)! : new Date(to.getTime() - (STATS_DEFAULT_DAYS - 1) * DAY_MS);
  const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
  if (days < 1) fail('to', 'to must not be before from');
  if (days > STATS_MAX_DAYS) fail('from', `the period spans at most ${STATS_MAX_DAYS} days`);
  return { from, days };
};

const validateVerifyQuery = validateYupSchema(
  yup
    .object({ full: yup.string().oneOf(['true', 'false'], '${path} must be true or false') })
    .noUnknown(true, NO_UNKNOWN_ROOT)
);

/** `POST /consent/ledger/verify`: from the first event with `full=true`, else from the newest checkpoint. */
export const validateVerify = async (query: unknown) => {
  const q = (await validateVerifyQuery(query ?? {})) as { full?: string };
  return { from: q.full === 'true' ? ('start' as const) : ('checkpoint' as const) };
};
