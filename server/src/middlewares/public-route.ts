import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { chargeBefore, failedAfter, type ClientLimit } from '../domain/rate-limit-rules';
import type { TokenPurpose } from '../domain/tokens';
import { clientStatusOf, errorPage, type ErrorPages } from '../hosted-pages/error-page';
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

/** Runs the route, then counts a link that the route found to lead nowhere (domain/rate-limit-rules). */
const recheck = async (ctx: Context, next: Next, scope: string) => {
  let status: number | undefined;
  try {
    await next();
    status = ctx.status;
  } catch (error) {
    status = clientStatusOf(error);
    throw error;
  } finally {
    if (failedAfter(status)) await getService('rate-limits').countClient(scope, ctx.ip);
  }
};

type PostedForm = { locale?: unknown; subject?: Record<string, unknown> } | undefined;

const postedLocale = (ctx: Context) => {
  const { locale } = ((ctx.request as { body?: PostedForm }).body ?? {}) as { locale?: unknown };
  return typeof locale === 'string' ? locale : null;
};

/** A refused plain HTML form: the field to fix, told in the visitor's words, and the way back to the form. */
const formRefusal =
  (ctx: Context): ErrorPages =>
  (error, language) => {
    const status = clientStatusOf(error) ?? 400;
    const { name = 'Error', details } = error as { name?: string; details?: { errors?: { path?: unknown }[] } };
    const body = (ctx.request as { body?: PostedForm }).body;
    const paths = (details?.errors ?? []).map((e) =>
      Array.isArray(e.path) ? e.path.map(String) : typeof e.path === 'string' ? e.path.split('.') : []
    );
    const typed = (field: string) => typeof body?.subject?.[field] === 'string' && body.subject[field] !== '';
    return submissionErrorPage(
      language,
      { status, name, paths, given: { email: typed('email'), phone: typed('phone') } },
      ctx.get('referer') || undefined
    );
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
      if (!isHtmlFormPost(ctx) || !(await errorPage(ctx, error, formRefusal(ctx), () => postedLocale(ctx)))) {
        throw error;
      }
    }
  };
};

export default publicRoute;
