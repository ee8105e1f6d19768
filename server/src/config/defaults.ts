import type { IpStorage, Jurisdiction } from '../../../shared/contracts/domain';
import { DEFAULT_THRESHOLDS, GDPR_DEFAULT_AGE } from '../domain/children-rules';

export interface EmailTemplate {
  subject: string;
  text: string;
  html?: string;
}

/**
 * The look of the hosted pages (thanks, errors, confirmation, unsubscribe, preference centre,
 * re-permission). Empty by default: the pages load nothing from elsewhere (K1). A logo or stylesheet URL
 * is an external resource the site owner opts into: the visitor's browser fetches it.
 */
export interface PagesConfig {
  /** Shown above every page and after each page title. */
  siteName?: string;
  /** https:// or a path on this server (`/uploads/logo.png`); needs `siteName`, its text alternative. */
  logoUrl?: string;
  /** `#rrggbb` or `#rgb` for buttons, links and the top rule; white text on it needs at least 4.5:1. */
  accentColor?: string;
  /** A stylesheet loaded after the built-in one (https:// or a path on this server). */
  stylesheetUrl?: string;
  /** A whole HTML page replacing the built-in frame: `{{content}}` (required), `{{lang}}`, `{{title}}`, `{{head}}`. */
  template?: string;
}

export interface ConsentConfig {
  /** Identity of the data controller, shown in notices and receipts (A7). */
  controller: { name: string; address: string; contact: string };
  /** Key material for signed tokens and keyed hashes. Required in production; generated in development. */
  secret?: string;
  /**
   * Secrets used before the current `secret`, newest first: what they made (identifier hashes, mailed
   * links, receipts) is still recognised, nothing new is made with them (docs/operations.md, rotation).
   */
  previousSecrets: string[];
  /** Public base URL of this Strapi, used to build links in mails and List-Unsubscribe headers. */
  publicUrl?: string;
  jurisdiction: Jurisdiction;
  ipStorage: IpStorage;
  doubleOptIn: { tokenTtlSeconds: number; pendingTtlDays: number; resendAfterSeconds: number };
  /**
   * Limits on the public routes, counted in the database so every instance shares them: `max` requests per
   * client (IP) and `perIdentifier` submissions per email address or phone number (so nobody can flood a
   * third party's inbox, B6) in each window; withdrawals have a `perIdentifier` budget of their own. Which
   * requests the client limit counts: domain/rate-limit-rules (a valid signed link never, E3). `false`
   * disables both (only sensible behind a limiting proxy).
   */
  rateLimit: false | { max: number; windowSeconds: number; perIdentifier: number };
  /**
   * `bodyTimeoutMs`: how long a request to the plugin's routes may take to send its body once its headers
   * are in; a slower one is answered 408 and its connection closed (middlewares/body-guard). Headers that
   * never end are the server's own `headersTimeout` (docs/operations.md). `drainTimeoutMs`: at shutdown
   * (SIGTERM), how long the requests already admitted may take to finish before Strapi closes the database
   * (services/shutdown).
   */
  http: { bodyTimeoutMs: number; drainTimeoutMs: number };
  /**
   * API tokens read by Strapi's token check are kept `ttlMs` (at most 999) on each instance, so a revoked,
   * regenerated, re-dated or re-permissioned token is refused everywhere within that time (auth/api-token-cache).
   * `scope`: `'plugin'` caches for this plugin's routes only, `'content-api'` for the whole content API.
   * `ttlMs: 0` turns it off.
   */
  tokenCache: { ttlMs: number; scope: 'plugin' | 'content-api' };
  /**
   * Delivery of `consent.*` webhooks through the outbox (D6, D7; services/webhook-outbox): a failed POST
   * is tried again after `baseDelayMs`, doubling up to `maxDelayMs`, `maxAttempts` times in all, then left
   * failed for an admin to retry. Each POST is signed with `signingSecret` (HMAC-SHA256, docs/back-ends.md);
   * unset, a key derived from `secret` signs and a warning says so. Every `pollIntervalMs` each instance
   * looks for due deliveries; `timeoutMs` bounds one POST.
   */
  webhooks: {
    signingSecret?: string;
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    pollIntervalMs: number;
    timeoutMs: number;
  };
  email: {
    from?: string;
    replyTo?: string;
    /** A mailbox that unsubscribes its senders, listed after the HTTPS URI in `List-Unsubscribe` (E1). */
    unsubscribeMailto?: string;
    /** Overrides per template name and locale: `{ confirmation: { de: { subject, text, html } } }`. */
    templates: Record<string, Record<string, EmailTemplate>>;
  };
  /**
   * The retention jobs (I3, I4): `prospectMonths` after a person's last own activity (or their collection),
   * someone with no current grant loses their identifiers; suppression entries are kept at least
   * `suppressionMinMonths` (never below 36, I3) and, when `suppressionMaxMonths` is set, deleted after it
   * (opposition lists excepted); `null` keeps them forever.
   */
  pages: PagesConfig;
  /**
   * Consent-gated sending (`POST /api/consent/messages`, services/messages.ts): at most
   * `maxRecipientsPerCall` listed recipients per call (an audience has no limit), templates of at most
   * `maxTemplateBytes` (subject, html and text together, UTF-8), recipients taken `batchSize` at a time,
   * each batch checked for eligibility just before it is sent. A claim older than `claimTimeoutSeconds`
   * belongs to a stopped instance: an idle worker looks for such work that often (and at boot). `worker:
   * false` sends nothing from this instance (jobs are still accepted; another instance sends them).
   */
  messages: {
    maxRecipientsPerCall: number;
    maxTemplateBytes: number;
    batchSize: number;
    claimTimeoutSeconds: number;
    worker: boolean;
  };
  retention: {
    prospectMonths: number;
    /**
     * I4 applies to subscribers too where the person's jurisdiction is listed: after `prospectMonths`
     * without an act of their own, their grants expire (reason `inactivity`) and their identifiers go.
     * Elsewhere a current grant keeps the person. `[]` turns this off.
     */
    subscriberJurisdictions: Jurisdiction[];
    /**
     * I4: the one re-permission request is mailed this many days before a subscriber's three years end,
     * and their data goes only when it has stood this long without an answer.
     */
    repermissionDays: number;
    suppressionMinMonths: number;
    suppressionMaxMonths: number | null;
    /**
     * Days an import's client reference is remembered (`consent_import_batches`): a retry within them
     * replays the first answer; afterwards the nightly job deletes the row and the reference is free.
     */
    importBatchDays: number;
    /**
     * I5: years the proof of an ended consent is kept after its last event; then the events' personal
     * fields are pruned (domain/proof-pruning.ts). The German telephone minimum (5 years from the grant and
     * each use) holds whatever this says. `null` keeps proof forever.
     */
    proofYears: number | null;
    /**
     * Days a finished send keeps its recipients' addresses (and their per-recipient placeholders); then the
     * nightly job clears them, keeping each row's outcome, reason codes and pseudonym (the counts stay).
     * `null` keeps them until the person's erasure.
     */
    messageAddressDays: number | null;
    /** Days a delivered webhook delivery (`consent_webhook_deliveries`) is kept; then it is deleted. */
    webhookDeliveredDays: number;
    /**
     * Days a failed (given up) webhook delivery is kept after its last attempt, for an admin to see and retry;
     * then it is deleted. Pending deliveries are never deleted. `null` keeps failed ones forever.
     */
    webhookFailedDays: number | null;
  };
  /**
   * Compliance reports (issue 22): `maxSpanDays` is the longest period one report covers (both ends
   * counted), `sampleSize` how many proofs (events with their receipts) each purpose's random sample holds.
   */
  reports: { maxSpanDays: number; sampleSize: number };
  /**
   * Children's consent (G1–G6): `thresholds` maps ISO country codes to the age of digital consent
   * (13–16; merged over the plugin's table of member states' choices), `defaultAge` applies to a country
   * not in it (GDPR Art. 8: 16). `directMarketing: true` lets direct marketing reach child-flagged people
   * (G6: off by default). `parentalConsentTtlSeconds`: how long the parent's confirmation link works.
   */
  children: {
    thresholds: Record<string, number>;
    defaultAge: number;
    directMarketing: boolean;
    parentalConsentTtlSeconds: number;
  };
}

export const SECRET_MIN_LENGTH = 32;

export const defaultConfig: ConsentConfig = {
  controller: { name: '', address: '', contact: '' },
  secret: undefined,
  previousSecrets: [],
  publicUrl: undefined,
  jurisdiction: 'eu',
  ipStorage: 'truncated',
  doubleOptIn: {
    // 48 hours: long enough for a weekend, short enough that a forwarded mail goes stale (B4).
    tokenTtlSeconds: 48 * 3600,
    // Unconfirmed requests are purged after 14 days, the upper end of usual practice (B4).
    pendingTtlDays: 14,
    resendAfterSeconds: 300,
  },
  rateLimit: { max: 20, windowSeconds: 60, perIdentifier: 5 },
  // The largest body a public route takes is 16 kB: seconds on the slowest mobile link; 10 s is generous.
  // A shutdown waits for the requests in flight at most 10 s: within Kubernetes' 30 s grace period.
  http: { bodyTimeoutMs: 10_000, drainTimeoutMs: 10_000 },
  // Half a second: a check stream of even a few requests a second reads the token about twice a second,
  // and a revoked token is refused on every instance well within the one second the plugin promises.
  tokenCache: { ttlMs: 500, scope: 'plugin' },
  // 12 attempts from 30 s doubling to 6 h apart: about 14.5 hours of retries, inside D6's 48 hours, so an
  // admin still has a day to see the failure and retry it after the receiver is fixed.
  webhooks: {
    signingSecret: undefined,
    maxAttempts: 12,
    baseDelayMs: 30_000,
    maxDelayMs: 6 * 3600_000,
    pollIntervalMs: 5_000,
    timeoutMs: 10_000,
  },
  email: { from: undefined, replyTo: undefined, templates: {} },
  pages: {},
  messages: {
    // As many as `POST /contacts` takes; larger lists go as an audience, which is read page by page.
    maxRecipientsPerCall: 1000,
    // 256 kB: a rich newsletter is well under 100 kB; Gmail clips HTML past 102 kB anyway.
    maxTemplateBytes: 256 * 1024,
    batchSize: 200,
    // Ten minutes: a batch of 200 goes out in seconds even to a slow relay.
    claimTimeoutSeconds: 600,
    worker: true,
  },
  retention: {
    // CNIL référentiel 2021-131: prospect data 3 years after collection or the last contact they initiated (I4).
    prospectMonths: 36,
    // CNIL: the three years run from the person's last own contact, for customers and subscribers too (I4).
    // Each is first asked once, by mail, whether they want to go on (services/repermission.ts).
    subscriberJurisdictions: ['fr'],
    // A month to answer: the CNIL sets no figure; a month covers holidays and a busy inbox.
    repermissionDays: 30,
    // At least 3 years from the objection in France (I3); no maximum by default: nothing is ever aged out.
    suppressionMinMonths: 36,
    suppressionMaxMonths: null,
    // Retries (J2, N7) come within minutes or days; a month covers a failed job retried after a holiday.
    importBatchDays: 30,
    // I5: the French civil limitation period (C. civ. 2224), which also covers the German 3 years from year-end.
    proofYears: 5,
    // A month: long enough to answer "did my mail go to X?" after a send, short enough not to keep a
    // mailing list's addresses beside the subjects table, which already holds them.
    messageAddressDays: 30,
    // A week covers a receiver's incident review; a delivered row holds no personal data, only the noise.
    webhookDeliveredDays: 7,
    // A quarter: an admin has time to notice a failure, fix the receiver and retry.
    webhookFailedDays: 90,
  },
  // A year and a day: a calendar year, leap years included, in one report; longer periods take longer to count.
  reports: { maxSpanDays: 366, sampleSize: 5 },
  children: {
    thresholds: { ...DEFAULT_THRESHOLDS },
    defaultAge: GDPR_DEFAULT_AGE,
    // Recital 38: marketing aimed at children needs specific protection (G6).
    directMarketing: false,
    // A week: a parent may not read the mail the day the child signs up.
    parentalConsentTtlSeconds: 7 * 86_400,
  },
};
