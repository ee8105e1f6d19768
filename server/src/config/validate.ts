import { yup } from '@strapi/utils';
import { IP_STORAGE, JURISDICTIONS } from '../../../shared/contracts/domain';
import { ringProblem } from '../domain/key-ring';
import { COUNTRY_CODE, isThreshold, MAX_THRESHOLD, MIN_THRESHOLD } from '../domain/children-rules';
import { MAIL_TEMPLATES, MARKETING_TEMPLATES } from '../domain/mail-templates';
import { MAX_PROOF_YEARS } from '../domain/proof-pruning';
import { SUPPRESSION_FLOOR_MONTHS } from '../domain/retention-rules';
import { contrastRatio, HEX_COLOUR, MIN_TEXT_CONTRAST } from '../utils/contrast';
import { SECRET_MIN_LENGTH, type ConsentConfig } from './defaults';

const positiveInt = () => yup.number().integer().min(1).required();
const httpUrl = () =>
  yup.string().test('http-url', '${path} must be an absolute http(s) URL', (value) => {
    if (value === undefined || value === null) return true;
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  });

/** An address a visitor's browser fetches: https only (no mixed content), or a path on this server. */
const pageResource = () =>
  yup
    .string()
    .test('page-resource', '${path} must be an https:// URL or a path starting with / on this server', (value) => {
      if (value === undefined) return true;
      if (/^\/(?![/\\])/.test(value)) return true;
      try {
        return new URL(value).protocol === 'https:';
      } catch {
        return false;
      }
    });

const pages = yup
  .object({
    siteName: yup.string().trim().min(1).max(100),
    logoUrl: pageResource().test(
      'logo-name',
      "${path} needs pages.siteName: the name is the logo's text alternative",
      function named(value) {
        return value === undefined || !!this.parent?.siteName;
      }
    ),
    accentColor: yup
      .string()
      .matches(HEX_COLOUR, '${path} must be a CSS colour written #rrggbb or #rgb')
      .test('accent-contrast', function readable(value) {
        if (value === undefined || !HEX_COLOUR.test(value)) return true;
        const ratio = contrastRatio(value, '#ffffff');
        if (ratio >= MIN_TEXT_CONTRAST) return true;
        // Refused, not darkened: a silently changed brand colour surprises more than a boot error.
        return this.createError({
          message: `\${path} ${value} has a contrast of ${ratio.toFixed(2)}:1 with the white text of buttons; WCAG AA needs at least ${MIN_TEXT_CONTRAST}:1, choose a darker colour`,
        });
      }),
    stylesheetUrl: pageResource(),
    template: yup
      .string()
      .test(
        'template-content',
        '${path} must contain {{content}}',
        (value) => value === undefined || value.includes('{{content}}')
      ),
  })
  .noUnknown(true, '${path} has unknown key(s): ${unknown}');

const template = yup
  .object({ subject: yup.string().required(), text: yup.string().required(), html: yup.string() })
  .noUnknown(true, '${path} has unknown key(s): ${unknown}');

/**
 * A test of the mail templates: every locale of each template in `names` holds `placeholder` in its text,
 * and in its html when it has one. The message names the first template that does not (`${name}`).
 */
const holdsPlaceholder = (testName: string, placeholder: string, names: readonly string[], message: string) => ({
  name: testName,
  message,
  test(this: yup.TestContext, value: unknown) {
    const templates = (value ?? {}) as Record<string, Record<string, { text?: string; html?: string }>>;
    for (const name of names) {
      const ok = Object.values(templates[name] ?? {}).every(
        (t) => !!t?.text?.includes(placeholder) && (t.html === undefined || t.html.includes(placeholder))
      );
      if (!ok) return this.createError({ params: { name } });
    }
    return true;
  },
});

/** G1: every entry an ISO country code (upper case) with an age Art. 8(1) allows; the message names the key. */
const thresholds = yup.object().test('thresholds', function valid(value) {
  for (const [key, age] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if (!COUNTRY_CODE.test(key)) {
      return this.createError({
        path: `${this.path}.${key}`,
        message: `\${path} is not a country code: use ISO 3166-1 alpha-2 in upper case (e.g. DE, FR)`,
      });
    }
    if (!isThreshold(age)) {
      return this.createError({
        path: `${this.path}.${key}`,
        message: `\${path} must be a whole age between ${MIN_THRESHOLD} and ${MAX_THRESHOLD} (GDPR Art. 8(1))`,
      });
    }
  }
  return true;
});

/** Every key is known: a typo such as `ipstorage` must fail start-up rather than be silently ignored. */
export const configSchema = (production: boolean) =>
  yup
    .object({
      controller: yup
        .object({ name: yup.string().defined(), address: yup.string().defined(), contact: yup.string().defined() })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      secret: production
        ? yup
            .string()
            .required('${path} is required when NODE_ENV=production (set CONSENT_SECRET)')
            .min(SECRET_MIN_LENGTH)
        : yup.string().min(SECRET_MIN_LENGTH),
      previousSecrets: yup
        .array()
        .of(yup.string().strict().min(SECRET_MIN_LENGTH).required())
        .defined()
        .test('previous-secrets', function distinct(value) {
          const problem = ringProblem(
            (this.parent as { secret?: string })?.secret,
            (value ?? []).filter((v): v is string => typeof v === 'string')
          );
          return problem
            ? this.createError({ path: `previousSecrets[${problem.index}]`, message: `\${path} ${problem.reason}` })
            : true;
        }),
      publicUrl: httpUrl(),
      jurisdiction: yup
        .mixed()
        .oneOf([...JURISDICTIONS])
        .required(),
      ipStorage: yup
        .mixed()
        .oneOf([...IP_STORAGE])
        .required(),
      doubleOptIn: yup
        .object({
          tokenTtlSeconds: positiveInt(),
          pendingTtlDays: positiveInt(),
          resendAfterSeconds: yup.number().integer().min(0).required(),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      rateLimit: yup
        .mixed()
        .test(
          'rate-limit',
          '${path} must be false or { max, windowSeconds, perIdentifier? } with positive integers',
          (value) => {
            if (value === false) return true;
            if (!value || typeof value !== 'object') return false;
            const { max, windowSeconds, perIdentifier = 1, ...rest } = value as Record<string, unknown>;
            return (
              Object.keys(rest).length === 0 &&
              Number.isInteger(perIdentifier) &&
              (perIdentifier as number) > 0 &&
              Number.isInteger(max) &&
              (max as number) > 0 &&
              Number.isInteger(windowSeconds) &&
              (windowSeconds as number) > 0
            );
          }
        ),
      http: yup
        .object({
          // Under Node's own requestTimeout (300 s), which would end the request first.
          bodyTimeoutMs: yup.number().integer().min(100).max(300_000).required(),
          drainTimeoutMs: yup.number().integer().min(0).max(300_000).required(),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      tokenCache: yup
        .object({
          // Below a second: the bound on a revocation's delay that the plugin documents.
          ttlMs: yup.number().integer().min(0).max(999).required(),
          scope: yup.string().oneOf(['plugin', 'content-api']).required(),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      webhooks: yup
        .object({
          signingSecret: yup
            .string()
            .min(SECRET_MIN_LENGTH, `\${path} must be at least ${SECRET_MIN_LENGTH} characters`),
          maxAttempts: yup.number().integer().min(1).max(50).required(),
          // Milliseconds so tests can retry at once; a production value is seconds or more.
          baseDelayMs: yup.number().integer().min(1).required(),
          maxDelayMs: yup
            .number()
            .integer()
            .min(yup.ref('baseDelayMs'), '${path} must be at least webhooks.baseDelayMs')
            .required(),
          pollIntervalMs: yup.number().integer().min(10).max(3_600_000).required(),
          // Under the delivery's claim (services/webhook-outbox), so a slow receiver is never posted to twice at once.
          timeoutMs: yup.number().integer().min(100).max(60_000).required(),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      email: yup
        .object({
          from: yup.string(),
          replyTo: yup.string(),
          unsubscribeMailto: yup.string().email(),
          templates: yup
            .object()
            .test('templates', '${path} must map template names to { <locale>: { subject, text, html? } }', (value) =>
              Object.values(value ?? {}).every(
                (byLocale) =>
                  !!byLocale &&
                  typeof byLocale === 'object' &&
                  Object.values(byLocale).every((t) => template.isValidSync(t, { strict: true }))
              )
            )
            .test(
              holdsPlaceholder(
                'templates-link',
                '{{link}}',
                MAIL_TEMPLATES,
                '${path}.${name} templates must contain {{link}} in text (and in html when given)'
              )
            )
            .test(
              holdsPlaceholder(
                'templates-opt-out',
                '{{unsubscribeUrl}}',
                MARKETING_TEMPLATES,
                '${path}.${name} templates must contain {{unsubscribeUrl}} in text (and in html when given): the mail is marketing, sent with its opt-out link (D4, D10)'
              )
            ),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      pages,
      messages: yup
        .object({
          maxRecipientsPerCall: yup.number().strict().integer().min(1).max(100_000).required(),
          // A template needs room for its two links; more than 5 MB is a mistake, not a newsletter.
          maxTemplateBytes: yup
            .number()
            .strict()
            .integer()
            .min(1024)
            .max(5 * 1024 * 1024)
            .required(),
          batchSize: yup.number().strict().integer().min(1).max(1000).required(),
          claimTimeoutSeconds: yup.number().strict().integer().min(30).required(),
          worker: yup.boolean().strict().required(),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      retention: yup
        .object({
          prospectMonths: positiveInt(),
          // Whose subscribers the three-year rule also ends (I4): people of these jurisdictions.
          subscriberJurisdictions: yup
            .array()
            .of(
              yup
                .string()
                .strict()
                .oneOf([...JURISDICTIONS])
                .required()
            )
            .defined(),
          // Days between the re-permission request and the purge (I4): at least a week to answer, at most a year.
          repermissionDays: yup.number().strict().integer().min(7).max(365).required(),
          // I3: an objection is honoured at least 3 years (CNIL), whatever the site's jurisdiction: entries
          // carry none, and the person's own decides. Refused rather than raised: the file would say less
          // than the plugin does.
          suppressionMinMonths: yup
            .number()
            .integer()
            .min(
              SUPPRESSION_FLOOR_MONTHS,
              '${path} must be at least ${min} (an objection is kept 3 years from the objection, CNIL)'
            )
            .required(),
          // null (the default) keeps suppression entries forever.
          suppressionMaxMonths: yup
            .number()
            .integer()
            .nullable()
            .defined()
            .min(
              yup.ref('suppressionMinMonths'),
              '${path} must be null or at least retention.suppressionMinMonths (${min})'
            ),
          // How long an import reference guards retries (J2, N7).
          importBatchDays: yup
            .number()
            .integer('${path} must be a whole number of days')
            .min(1, '${path} must be at least 1 (days an import reference is remembered for retries)')
            .required(),
          // Days a finished send keeps its recipients' addresses; null keeps them until erasure.
          messageAddressDays: yup
            .number()
            .integer('${path} must be a whole number of days')
            .min(1, '${path} must be at least 1 (days a finished send keeps its addresses) or null')
            .nullable()
            .defined(),
          webhookDeliveredDays: yup
            .number()
            .integer('${path} must be a whole number of days')
            .min(1, '${path} must be at least 1 (days a delivered webhook delivery is kept)')
            .required(),
          // Failed deliveries wait for an admin's retry at least as long as delivered ones are kept.
          webhookFailedDays: yup
            .number()
            .integer('${path} must be a whole number of days')
            .nullable()
            .defined()
            .min(
              yup.ref('webhookDeliveredDays'),
              '${path} must be null or at least retention.webhookDeliveredDays (${min})'
            ),
          // I5: years of proof after a consent ended; null keeps it forever.
          proofYears: yup
            .number()
            .integer('${path} must be a whole number of years')
            .min(1, '${path} must be at least 1 (years proof is kept after a consent ended) or null')
            .max(MAX_PROOF_YEARS, '${path} must be at most ${max} (years) or null to keep proof forever')
            .nullable()
            .defined(),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      reports: yup
        .object({
          // Ten years at most: the longest limitation period a report may need to cover, and a bound on its cost.
          maxSpanDays: yup.number().integer('${path} must be a whole number of days').min(1).max(3660).required(),
          sampleSize: yup.number().integer().min(0, '${path} must be 0 (no sample) or more').max(100).required(),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
      children: yup
        .object({
          thresholds: thresholds.required(),
          defaultAge: yup.number().strict().integer().min(MIN_THRESHOLD).max(MAX_THRESHOLD).required(),
          directMarketing: yup.boolean().strict().required(),
          parentalConsentTtlSeconds: positiveInt(),
        })
        .noUnknown(true, '${path} has unknown key(s): ${unknown}'),
    })
    .noUnknown(true, '${path} has unknown key(s): ${unknown}');

/**
 * Strapi calls this with the merged configuration at load; throwing stops the boot. The message names
 * every offending key (prefixed `consent.`) so the site owner knows what to fix in config/plugins.
 */
export const validateConfig = (config: unknown, env: string | undefined = process.env.NODE_ENV): void => {
  try {
    configSchema(env === 'production').validateSync(config, { abortEarly: false, strict: true });
  } catch (error) {
    const inner = (error as { inner?: Array<{ path?: string; message: string }> }).inner;
    const problems = (inner?.length ? inner : [error as { path?: string; message: string }]).map((e) =>
      e.message.replace(/^this\b/, 'consent config')
    );
    // The server targets a lib without Error's `cause`; every problem of the original is in the message.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`Invalid configuration for plugin "consent": ${problems.map((p) => `consent.${p}`).join('; ')}`);
  }
};

export type { ConsentConfig };
