import type { Core } from '@strapi/strapi';
import { installCheckpointTriggers } from './database/checkpoint-guard';
import { installLedgerTriggers } from './database/ledger-guard';
import { cacheApiTokens } from './auth/api-token-cache';
import { registerPermissions } from './permissions';
import { scheduleRetention } from './cron-tasks';
import { getService } from './utils/get-service';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await registerPermissions(strapi);
  cacheApiTokens(strapi);
  await getService('secrets').load();
  await getService('receipts').load();
  await installLedgerTriggers(strapi);
  await installCheckpointTriggers(strapi);
  await getService('ledger').ensureHead();
  await getService('catalogue').ensureStamp();

  scheduleRetention(strapi);
  // Unfinished sends resume (services/messages.ts); stopped again in destroy.
  getService('messages').start();
  // Last: the ledger head and the secrets it signs with are ready. Deliveries left pending go out now.
  getService('webhook-outbox').start();

  if (process.env.NODE_ENV === 'production' && getService('settings').forceMigration()) {
    strapi.log.error(
      '[consent] database.settings.forceMigration is not false. If this plugin is ever disabled or removed, ' +
        "Strapi's schema sync will DROP the consent ledger. Set it to false in config/database."
    );
  }
};

export default bootstrap;
