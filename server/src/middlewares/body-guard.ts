import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { RequestTimeoutError } from '../errors';
import { boundaryOf, MultipartError, parseMultipart } from '../utils/multipart';

// RFC 8058 lets a mail client send the one-click body as multipart; no other route of the plugin reads it.
const MULTIPART_ROUTES = [/^\/unsubscribe\/[^/]+\/?$/i];
// The one-click body is `List-Unsubscribe=One-Click`; the route's own guard allows 4 kB.
const MULTIPART_MAX_BYTES = 4 * 1024;

type Refusal = { status: number; name: string; message: string; path: string };

const refuse = (ctx: Context, { status, name, message, path }: Refusal) => {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details: { errors: [{ path: [path], message }] } } };
  // The rest of the body may still be on its way: do not keep reading it for the next request.
  ctx.set('Connection', 'close');
};

const hasBody = (ctx: Context) =>
  ctx.req.headers['transfer-encoding'] !== undefined || Number(ctx.req.headers['content-length']) > 0;

/** Reads the whole body, up to `maxBytes`, or fails when it stops or is too slow. */
const readBody = (ctx: Context, maxBytes: number, timeoutMs: number) =>
  new Promise<string>((resolve, reject) => {
    const req = ctx.req;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(new MultipartError(`The request body is larger than ${maxBytes} bytes`, 413));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    const onAborted = () => finish(new MultipartError('The body ended before its declared length'));
    const timer = setTimeout(
      () => finish(new RequestTimeoutError(`The body did not arrive within ${timeoutMs} ms`)),
      timeoutMs
    );
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });

/**
 * Runs before Strapi's body parser (`strapi::body`, koa-body) on the plugin's routes (`/api/consent/...`),
 * for the two ways a body could make a request fail or hang before any route checks it:
 *
 * - **Multipart.** Strapi's parser (formidable) answers 500 for a missing boundary or one the body does
 *   not contain, and never answers a body with bare `\n` line breaks. Only the one-click route reads
 *   multipart (RFC 8058); there the plugin reads the small body itself (utils/multipart, strict, text
 *   fields only) and hands the fields to the route, every other route answers 415.
 * - **Slow bodies.** Neither koa-body nor Node stops a body that trickles in (Node's own
 *   `requestTimeout` is five minutes). After `http.bodyTimeoutMs` the read is failed with a 408
 *   `RequestTimeoutError`, answered by Strapi's error middleware, and the connection is closed.
 *
 * Headers that never end are Node's `server.headersTimeout`, before any middleware: docs/operations.md.
 */
export const bodyGuard = (strapi: Core.Strapi) => {
  const prefix = `${strapi.config.get<string>('api.rest.prefix', '/api')}/consent`;
  const timeoutMs = () => (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).http.bodyTimeoutMs;

  return async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith(`${prefix}/`) || !hasBody(ctx)) return next();
    const route = ctx.path.slice(prefix.length);

    // The substring test first: type-is parsing every JSON body's Content-Type was a percent of a submission.
    if (/multipart/i.test(ctx.req.headers['content-type'] ?? '') && ctx.is('multipart/form-data')) {
      if (ctx.method !== 'POST' || !MULTIPART_ROUTES.some((r) => r.test(route))) {
        const message = 'multipart/form-data is not accepted here: send JSON or application/x-www-form-urlencoded';
        return refuse(ctx, { status: 415, name: 'UnsupportedMediaTypeError', message, path: 'content-type' });
      }
      if (Number(ctx.req.headers['content-length']) > MULTIPART_MAX_BYTES) {
        const message = `The request body is larger than ${MULTIPART_MAX_BYTES} bytes`;
        return refuse(ctx, { status: 413, name: 'PayloadTooLargeError', message, path: 'body' });
      }
      try {
        const boundary = boundaryOf(ctx.get('content-type'));
        (ctx.request as { body?: unknown }).body = parseMultipart(
          await readBody(ctx, MULTIPART_MAX_BYTES, timeoutMs()),
          boundary
        );
      } catch (error) {
        const { status = 400, message } = error as { status?: number; message: string };
        if (!(error instanceof MultipartError || error instanceof RequestTimeoutError)) throw error;
        const name =
          { 408: 'RequestTimeoutError', 413: 'PayloadTooLargeError', 415: 'UnsupportedMediaTypeError' }[status] ??
          'ValidationError';
        return refuse(ctx, { status, name, message, path: status === 415 ? 'content-type' : 'body' });
      }
      // koa-body leaves a type it does not parse alone, and the fields stay where the route reads them.
      ctx.req.headers['content-type'] = 'application/octet-stream';
      return next();
    }

    // A body koa-body is reading (raw-body listens for 'error') is failed when it is still incomplete.
    const ms = timeoutMs();
    const timer = setTimeout(() => {
      if (ctx.req.complete || ctx.req.listenerCount('error') === 0) return;
      ctx.set('Connection', 'close');
      ctx.req.emit(
        'error',
        new RequestTimeoutError(`The body did not arrive within ${ms} ms`, {
          errors: [{ path: ['body'], message: `The body did not arrive within ${ms} ms` }],
        })
      );
    }, ms);
    try {
      await next();
    } finally {
      clearTimeout(timer);
    }
  };
};
