import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

/**
 * A retention job on cron `rule`: `run` does the work and answers the line to log, or null when there was
 * nothing to do (a night without work logs nothing).
 */
const sweep = (strapi: Core.Strapi, rule: string, run: () => Promise<string | null>) => ({
  task: async () => {
    const line = await run();
    if (line) strapi.log.info(`[consent] ${line}`);
  },
  options: { rule },
});

/**
 * The plugin's scheduled work: retention (B4, I7, I4, I5, I3) and the expiry of unconfirmed double opt-in
 * requests. Each task is idempotent and safe on every instance at once.
 */
export const cronTasks = (strapi: Core.Strapi) => ({
  // Double opt-in (B4): hourly, so an unconfirmed request never outlives its token by much.
  'consent:double-opt-in-expiry': {
    task: async () => {
      const { requests, expired } = await getService('confirmations').expirePending();
      if (requests) strapi.log.info(`[consent] ${requests} unconfirmed request(s) purged, ${expired} state(s) expired`);
      // G2: a parent's link past its expiry: the child's request lapses the same way.
      const parental = await getService('parental-consents').expirePending();
      if (parental.requests) {
        strapi.log.info(
          `[consent] ${parental.requests} unanswered parental request(s) purged, ${parental.expired} state(s) expired`
        );
      }
    },
    options: { rule: '7 * * * *' },
  },
  // Retention (I7, I4, I3): nightly at quiet hours (server time), staggered so the expiry of grants
  // comes before the prospect purge. Eligibility never waits for them (a grant past its lifetime answers
  // `expired` at once); each is idempotent and safe on every instance at once (services/retention.ts).
  'consent:consent-expiry': sweep(strapi, '17 3 * * *', async () => {
    const { expired } = await getService('retention').expireConsents();
    return expired ? `${expired} grant(s) past their lifetime expired` : null;
  }),
  // I4: a month (retention.repermissionDays) before a French subscriber's three years end, the one
  // question whether they want to go on; the purge below acts only once it has stood unanswered that long.
  'consent:re-permission': sweep(strapi, '27 3 * * *', async () => {
    // Sent by the messages worker: a mail that fails records nothing and is asked again the next night.
    const { requested, messages } = await getService('retention').requestRepermission();
    return requested ? `${requested} re-permission request(s) queued (message(s) ${messages.join(', ')})` : null;
  }),
  'consent:prospect-purge': sweep(strapi, '37 3 * * *', async () => {
    const { purged, expired } = await getService('retention').purgeProspects();
    return purged ? `${purged} inactive prospect(s) purged (${expired} grant(s) expired first)` : null;
  }),
  // I5: proof of consents ended more than retention.proofYears ago loses its personal fields (hashes stay).
  'consent:proof-pruning': sweep(strapi, '47 3 * * *', async () => {
    const { keys, events } = await getService('retention').pruneProof();
    return keys ? `proof of ${keys} ended consent(s) past retention.proofYears pruned (${events} event(s))` : null;
  }),
  'consent:suppression-retention': sweep(strapi, '57 3 * * *', async () => {
    const { deleted } = await getService('retention').pruneSuppressions();
    return deleted ? `${deleted} suppression entr(y/ies) past retention.suppressionMaxMonths deleted` : null;
  }),
  // Import batch references (J2, N7) guard retries for days, not forever: `retention.importBatchDays`.
  'consent:import-batch-retention': sweep(strapi, '7 4 * * *', async () => {
    const { deleted } = await getService('imports').purgeBatches();
    return deleted ? `${deleted} import batch reference(s) past retention.importBatchDays deleted` : null;
  }),
  // Sends keep their recipients' addresses `retention.messageAddressDays` after they finished; the
  // webhook outbox its delivered rows `retention.webhookDeliveredDays`, its failed ones `webhookFailedDays`.
  'consent:message-retention': sweep(strapi, '27 4 * * *', async () => {
    const { messages, recipients } = await getService('messages').clearAddresses();
    return recipients
      ? `${recipients} recipient address(es) of ${messages} finished send(s) past retention.messageAddressDays cleared`
      : null;
  }),
  'consent:webhook-delivery-retention': sweep(strapi, '37 4 * * *', async () => {
    const { delivered, failed } = await getService('webhook-outbox').purge();
    return delivered || failed
      ? `${delivered} delivered and ${failed} failed webhook deliver(y/ies) past their retention deleted`
      : null;
  }),
  // After a secret rotation: people and suppression entries still under a previous secret are rewritten
  // under the current one, so that secret can be retired (docs/operations.md). Nothing to do, and no
  // query, without `previousSecrets`.
  'consent:identifier-rehash': sweep(strapi, '17 4 * * *', async () => {
    const { scanned, rehashed, suppressionsRekeyed } = await getService('subjects').rehash();
    return rehashed || suppressionsRekeyed
      ? `${rehashed} of ${scanned} person(s) and ${suppressionsRekeyed} suppression entr(y/ies) rehashed under the current secret`
      : null;
  }),
});

/**
 * Strapi 5 starts every job added through `strapi.cron.add` whatever `server.cron.enabled` says (only the
 * app's own `server.cron.tasks` obey it), so the plugin asks the switch itself: an operator who turned cron
 * off (on a replica, or to run retention elsewhere) gets no job from this instance. Retention that never
 * runs keeps personal data past its lawful period without anyone noticing, hence one warning at every boot.
 */
export const scheduleRetention = (strapi: Core.Strapi) => {
  const tasks = cronTasks(strapi);
  // Strapi's own default when the key is absent: enabled.
  if (strapi.config.get('server.cron.enabled', true)) {
    strapi.cron.add(tasks);
    return;
  }
  strapi.log.warn(
    `[consent] server.cron.enabled is false: the retention jobs ${Object.keys(tasks).join(', ')} will not run on ` +
      'this instance, so expired grants, unconfirmed requests and inactive prospects stay in the database. ' +
      'Set `cron: { enabled: true }` in config/server on at least one instance (docs/operations.md).'
  );
};
