import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { chargeBefore, failedAfter, type ClientLimit } from '../domain/rate-limit-rules';
import type { TokenPurpose } from '../domain/tokens';
import { pageLanguage } from '../hosted-pages/layout';
import { submissionErrorPage } from '../hosted-pages/submission';
import { rejectDeepBody } from '../utils/body-depth';
import { isHtmlFormPost } from '../utils/capture-request';
import { getService } from '../utils/get-service';

export interface PublicRouteConfig {
  /** Rate-limit bucket: routes of one scope share a client's budget. */
  scope: string;
  /** Largest accepted body, in bytes. */
  maxBytes: number;
  /**
   * How requests spend the client's budget (domain/rate-limit-rules); `failed-links` needs `token`, the
   * use the route's `:token` must have. Default `every-request`.
   */
  limit?: ClientLimit;
  token?: TokenPurpose;
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

/** Runs the route, then counts a link that the route found to lead nowhere (domain/rate-limit-rules). */
const recheck = async (ctx: Context, next: Next, scope: string) => {
  let status: number | undefined;
  try {
    await next();
    status = ctx.status;
  } catch (error) {
    status = statusOf(error);
    throw error;
  } finally {
    if (failedAfter(status)) await getService('rate-limits').countClient(scope, ctx.ip);
  }
};

/**
 * The guard of every public (`auth: false`) route: a size limit far below Strapi's 1 MB default, then the
 * per-client rate limit shared by all instances (services/rate-limits), applied as
 * domain/rate-limit-rules decides: a valid signed link is never counted. A plain HTML form post that is
 * refused gets a small page in its language instead of a JSON error body.
 */
const publicRoute = (config: PublicRouteConfig) => {
  const limit = config.limit ?? 'every-request';
  if (limit === 'failed-links' && !config.token)
    throw new Error('[consent] public-route: `failed-links` needs `token`');
  return async (ctx: Context, next: Next) => {
    try {
      // Before measuring it: JSON.stringify of a chunked body recurses as deep as the body nests.
      rejectDeepBody((ctx.request as { body?: unknown }).body);
      if (bodySize(ctx) > config.maxBytes) {
        throw new errors.PayloadTooLargeError(`The request body is larger than ${config.maxBytes} bytes`, {
          maxBytes: config.maxBytes,
        });
      }
      const check = config.token
        ? getService('tokens').check(String(ctx.params?.token ?? ''), config.token)
        : undefined;
      const charge = chargeBefore(limit, check);
      if (charge === 'count') {
        await getService('rate-limits').client(config.scope, ctx.ip);
        await next();
      } else if (charge.recheck) {
        await recheck(ctx, next, config.scope);
      } else {
        await next();
      }
    } catch (error) {
      const status = statusOf(error);
      if (!isHtmlFormPost(ctx) || status === undefined) throw error;
      const { name = 'Error', details } = error as { name?: string; details?: { errors?: { path?: unknown }[] } };
      const body = (ctx.request as { body?: { locale?: unknown; subject?: Record<string, unknown> } }).body;
      const paths = (details?.errors ?? []).map((e) =>
        Array.isArray(e.path) ? e.path.map(String) : typeof e.path === 'string' ? e.path.split('.') : []
      );
      const typed = (field: string) => typeof body?.subject?.[field] === 'string' && body.subject[field] !== '';
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = submissionErrorPage(
        pageLanguage(body?.locale),
        { status, name, paths, given: { email: typed('email'), phone: typed('phone') } },
        ctx.get('referer') || undefined
      );
    }
  };
};

export default publicRoute;
