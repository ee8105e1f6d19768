import type { Core } from '@strapi/strapi';
import { releaseBootLockWhenLoaded, takeBootLock } from './database/boot-lock';
import { subscribeCheckpointGuard } from './database/checkpoint-guard';
import { subscribeLedgerGuard } from './database/ledger-guard';
import { subscribeNoticeGuard } from './database/notice-guard';
import { subscribeReportGuard } from './database/report-guard';
import { apiBoundary } from './middlewares/api-boundary';
import { bodyGuard } from './middlewares/body-guard';
import { rawBody } from './middlewares/raw-body';
import { shutdownGate } from './middlewares/shutdown-gate';
import { registerWithDocumentationPlugin } from './openapi/documentation-plugin';
import { getService } from './utils/get-service';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  subscribeLedgerGuard(strapi);
  subscribeNoticeGuard(strapi);
  subscribeReportGuard(strapi);
  subscribeCheckpointGuard(strapi);
  getService('webhooks').register();
  getService('catalogue').register();
  // One boot at a time on a database, from the schema sync to the end of the load (database/boot-lock).
  strapi.hook('strapi::content-types.beforeSync').register(async () => {
    await takeBootLock(strapi);
    releaseBootLockWhenLoaded(strapi);
  });
  // Outermost on the plugin's routes: a request refused during a shutdown never reaches the body parser.
  strapi.server.use(shutdownGate(strapi));
  // Registered before Strapi's own middlewares, so it sees the body parser's answers (middlewares/api-boundary).
  strapi.server.use(apiBoundary(strapi));
  // Inside the boundary, before the body parser: multipart and slow bodies (middlewares/body-guard).
  strapi.server.use(bodyGuard(strapi));
  // Also before them: keeps the body parser off the opposition list upload, streamed by its controller.
  strapi.server.use(rawBody());
  registerWithDocumentationPlugin(strapi);
};

export default register;
