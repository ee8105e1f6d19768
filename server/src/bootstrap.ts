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
  });

  if (process.env.NODE_ENV === 'production' && getService('settings').forceMigration()) {
    strapi.log.error(
      '[consent] database.settings.forceMigration is not false. If this plugin is ever disabled or removed, ' +
        "Strapi's schema sync will DROP the consent ledger. Set it to false in config/database."
    );
  }
};

export default bootstrap;
