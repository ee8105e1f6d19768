import type { Core } from '@strapi/strapi';
import { subscribeLedgerGuard } from './database/ledger-guard';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  subscribeLedgerGuard(strapi);
};

export default register;
