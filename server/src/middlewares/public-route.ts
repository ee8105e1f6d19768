import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { pageLanguage } from '../pages/layout';
import { submissionErrorPage } from '../pages/submission';
import { isHtmlFormPost } from '../utils/capture-request';
import { getService } from '../utils/get-service';

export interface PublicRouteConfig {
  /** Rate-limit bucket: routes of one scope share a client's budget. */
  scope: string;
  /** Largest accepted body, in bytes. */
  maxBytes: number;
}

const bodySize = (ctx: Context) => {
  const declared = Number(ctx.request.length);
  if (Number.isFinite(declared) && declared > 0) return declared;
  // Chunked bodies have no Content-Length; measure what the body parser produced.
  const body = (ctx.request as { body?: unknown }).body;
  return body && typeof body === 'object' ? Buffer.byteLength(JSON.stringify(body)) : 0;
};

// The statuses Strapi's error middleware gives its own error classes.
const STATUS_BY_NAME: Record<string, number> = {
  ValidationError: 400,
  YupValidationError: 400,
  PaginationError: 400,
  UnauthorizedError: 401,
  ForbiddenError: 403,
  PolicyError: 403,
  NotFoundError: 404,
  PayloadTooLargeError: 413,
  RateLimitError: 429,
};

/** A client error's status, or undefined for anything that is (or may be) a server error. */
const statusOf = (error: unknown): number | undefined => {
  const { status, name } = (error ?? {}) as { status?: unknown; name?: string };
  const code = typeof status === 'number' ? status : name ? STATUS_BY_NAME[name] : undefined;
  return code !== undefined && code >= 400 && code < 500 ? code : undefined;
};

/**
 * The guard of every public (`auth: false`) route: a size limit far below Strapi's 1 MB default, then the
 * per-client rate limit shared by all instances (services/rate-limits). A plain HTML form post that is
 * refused gets a small page in its language instead of a JSON error body.
 */
const publicRoute = (config: PublicRouteConfig) => {
  return async (ctx: Context, next: Next) => {
    try {
      if (bodySize(ctx) > config.maxBytes) {
        throw new errors.PayloadTooLargeError(`The request body is larger than ${config.maxBytes} bytes`, {
          maxBytes: config.maxBytes,
        });
      }
      await getService('rate-limits').client(config.scope, ctx.ip);
      await next();
    } catch (error) {
      const status = statusOf(error);
      if (!isHtmlFormPost(ctx) || status === undefined) throw error;
      const { name = 'Error', message = 'Bad request' } = error as { name?: string; message?: string };
      const body = (ctx.request as { body?: { locale?: unknown } }).body;
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = submissionErrorPage(pageLanguage(body?.locale), { status, name, message }, ctx.get('referer') || undefined);
    }
  };
};

export default publicRoute;
