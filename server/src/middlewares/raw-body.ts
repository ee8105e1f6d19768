import type { Context, Next } from 'koa';

/** Where the client's Content-Type waits for the controller while the body parser is kept off the body. */
export const ORIGINAL_CONTENT_TYPE = 'consentOriginalContentType';

// Admin routes are mounted under the plugin's name. The router matches paths case-insensitively and
// with a trailing slash, so this must too, or such a request would reach the controller already parsed.
const STREAMED_ROUTES = [/^\/consent\/opposition-lists\/import\/?$/i];

/**
 * Strapi's body parser (`strapi::body`, koa-body) reads every `text/*` body into a string before any route
 * runs, refusing anything over 56 kB, and parses JSON, forms and multipart uploads the same way. An
 * opposition list runs to megabytes and is streamed by its controller instead. For the routes that
 * stream, this runs before the parser and relabels the body `application/octet-stream`, a type koa-body
 * leaves unread (lib/utils/body-type-util.js), keeping the original for the controller. The body then
 * stays in the socket until the controller reads it, after authentication and RBAC; nothing is parsed
 * or buffered for a request that is refused.
 */
export const rawBody = () => async (ctx: Context, next: Next) => {
  if (ctx.method === 'POST' && STREAMED_ROUTES.some((route) => route.test(ctx.path))) {
    ctx.state[ORIGINAL_CONTENT_TYPE] = ctx.get('content-type');
    ctx.req.headers['content-type'] = 'application/octet-stream';
  }
  return next();
};
