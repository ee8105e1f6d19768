import type { Core } from '@strapi/strapi';
import { subscribeLedgerGuard } from './database/ledger-guard';
import { subscribeNoticeGuard } from './database/notice-guard';
import { getService } from './utils/get-service';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  subscribeLedgerGuard(strapi);
  subscribeNoticeGuard(strapi);
  getService('webhooks').register();
};

export default register;
