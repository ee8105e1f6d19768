import type { Core } from '@strapi/strapi';
import { subscribeLedgerGuard } from './database/ledger-guard';
import { subscribeNoticeGuard } from './database/notice-guard';
import { subscribeReportGuard } from './database/report-guard';
import { apiBoundary } from './middlewares/api-boundary';
import { bodyGuard } from './middlewares/body-guard';
import { rawBody } from './middlewares/raw-body';
import { registerWithDocumentationPlugin } from './openapi/documentation-plugin';
import { getService } from './utils/get-service';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  subscribeLedgerGuard(strapi);
  subscribeNoticeGuard(strapi);
  subscribeReportGuard(strapi);
  getService('webhooks').register();
  getService('catalogue').register();
  // Registered before Strapi's own middlewares, so it sees the body parser's answers (middlewares/api-boundary).
  strapi.server.use(apiBoundary(strapi));
  // Inside the boundary, before the body parser: multipart and slow bodies (middlewares/body-guard).
  strapi.server.use(bodyGuard(strapi));
  // Also before them: keeps the body parser off the opposition list upload, streamed by its controller.
  strapi.server.use(rawBody());
  registerWithDocumentationPlugin(strapi);
};

export default register;
