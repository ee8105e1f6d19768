import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { RETRY_AFTER_SECONDS } from '../errors';
import { getService } from '../utils/get-service';

/**
 * Admits a request into the work the shutdown waits for (services/shutdown); once the instance is closing,
 * sets `Retry-After` and rethrows the 503. Answers the function that marks the request done.
 */
export const admitRequest = (ctx: Context): (() => void) => {
  try {
    return getService('shutdown').admit();
  } catch (error) {
    ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
    throw error;
  }
};

/**
 * The outermost layer of the plugin's routes (`/api/consent/...` and the admin's `/consent/...`): counts
 * each request as work in flight until its answer is ready, and once a shutdown has started answers new
 * ones 503 with `Retry-After`, before the body is read or anything is written. Other routes of the app are
 * untouched (the form hook admits its own requests: middlewares/capture).
 */
export const shutdownGate = (strapi: Core.Strapi) => {
  const prefixes = [`${strapi.config.get<string>('api.rest.prefix', '/api')}/consent/`, '/consent/'];

  return async (ctx: Context, next: Next) => {
    if (!prefixes.some((prefix) => ctx.path.startsWith(prefix))) return next();
    let done: () => void;
    try {
      done = admitRequest(ctx);
    } catch (error) {
      const {
        status = 503,
        name,
        message,
        details,
      } = error as { status?: number; name: string; message: string; details?: unknown };
      ctx.status = status;
      ctx.body = { data: null, error: { status, name, message, details } };
      return;
    }
    try {
      await next();
    } finally {
      // A submission that reached the closed group commit (middlewares' 503) gets the same header.
      if (ctx.status === 503) ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
      done();
    }
  };
};
