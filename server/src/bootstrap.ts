import type { Core } from '@strapi/strapi';
import { installLedgerTriggers } from './database/ledger-guard';
import { registerPermissions } from './permissions';
import { getService } from './utils/get-service';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await registerPermissions(strapi);
  await getService('secrets').load();
  await getService('receipts').load();
  await installLedgerTriggers(strapi);
  await getService('ledger').ensureHead();
  await getService('catalogue').ensureStamp();

  // Retention (B4). Strapi runs cron tasks only with `server.cron.enabled: true`; the task is safe on
  // every instance at once (docs: "Double opt-in").
  strapi.cron.add({
    'consent:double-opt-in-expiry': {
      task: async () => {
        const { requests, expired } = await getService('confirmations').expirePending();
        if (requests) strapi.log.info(`[consent] ${requests} unconfirmed request(s) purged, ${expired} state(s) expired`);
      },
      options: { rule: '7 * * * *' },
    },
    // Retention (I7, I4, I3): nightly at quiet hours (server time), staggered so the expiry of grants
    // comes before the prospect purge. Eligibility never waits for them (a grant past its lifetime answers
    // `expired` at once); each is idempotent and safe on every instance at once (services/retention.ts).
    'consent:consent-expiry': {
      task: async () => {
        const { expired } = await getService('retention').expireConsents();
        if (expired) strapi.log.info(`[consent] ${expired} grant(s) past their lifetime expired`);
      },
      options: { rule: '17 3 * * *' },
    },
    // I4: a month (retention.repermissionDays) before a French subscriber's three years end, the one
    // question whether they want to go on; the purge below acts only once it has stood unanswered that long.
    'consent:re-permission': {
      task: async () => {
        const { requested, failed } = await getService('retention').requestRepermission();
        if (requested) strapi.log.info(`[consent] ${requested} re-permission request(s) mailed`);
        if (failed) strapi.log.warn(`[consent] ${failed} re-permission mail(s) could not be sent; retried next night`);
      },
      options: { rule: '27 3 * * *' },
    },
    'consent:prospect-purge': {
      task: async () => {
        const { purged, expired } = await getService('retention').purgeProspects();
        if (purged) strapi.log.info(`[consent] ${purged} inactive prospect(s) purged (${expired} grant(s) expired first)`);
      },
      options: { rule: '37 3 * * *' },
    },
    'consent:suppression-retention': {
      task: async () => {
        const { deleted } = await getService('retention').pruneSuppressions();
        if (deleted) strapi.log.info(`[consent] ${deleted} suppression entr(y/ies) past retention.suppressionMaxMonths deleted`);
      },
      options: { rule: '57 3 * * *' },
    },
    // Import batch references (J2, N7) guard retries for days, not forever: `retention.importBatchDays`.
    'consent:import-batch-retention': {
      task: async () => {
        const { deleted } = await getService('imports').purgeBatches();
        if (deleted) strapi.log.info(`[consent] ${deleted} import batch reference(s) past retention.importBatchDays deleted`);
      },
      options: { rule: '7 4 * * *' },
    },
  });

  if (process.env.NODE_ENV === 'production' && getService('settings').forceMigration()) {
    strapi.log.error(
      '[consent] database.settings.forceMigration is not false. If this plugin is ever disabled or removed, ' +
        "Strapi's schema sync will DROP the consent ledger. Set it to false in config/database."
    );
  }
};

export default bootstrap;
