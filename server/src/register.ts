import type { Core } from '@strapi/strapi';
import { subscribeLedgerGuard } from './database/ledger-guard';
import { subscribeNoticeGuard } from './database/notice-guard';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  subscribeLedgerGuard(strapi);
  subscribeNoticeGuard(strapi);
};

export default register;
