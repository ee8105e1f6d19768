import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { refuseChanges } from './immutable-rows';

/**
 * A compliance report is signed evidence of what the ledger said when it was made (R3): like the ledger
 * (ledger-guard.ts), its rows are never updated or deleted through any Strapi path (query engine,
 * Document Service, Content Manager). Editing one would also break its signature; refusing keeps the
 * stored copy the one that was handed out.
 */
export const REPORT_IMMUTABLE_MESSAGE = 'Compliance reports are kept as generated: they cannot be updated or deleted';

export const subscribeReportGuard = (strapi: Core.Strapi) =>
  refuseChanges(strapi, UID.report, REPORT_IMMUTABLE_MESSAGE);
