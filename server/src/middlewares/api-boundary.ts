import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';

type ErrorBody = { data: null; error: { status: number; name: string; message: string; details?: unknown } };

// Long enough for any message the plugin writes; a rejected value repeated in full is not one.
const MAX_MESSAGE = 300;

/** yup's type errors print the whole rejected value: a 16 kB string, or a body nested until the stack ends. */
const bounded = (message: string) => {
  const text = message.replace(/,? but the final value was:[\s\S]*$/, '');
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
};

// Strapi's yup errors echo the rejected `value`: kept when short (it helps the caller), dropped otherwise.
const MAX_VALUE = 100;

const boundMessages = (error: ErrorBody['error']) => {
  if (typeof error.message === 'string') error.message = bounded(error.message);
  const list = (error.details as { errors?: { message?: unknown; value?: unknown }[] } | undefined)?.errors;
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    if (typeof item.message === 'string') item.message = bounded(item.message);
    const { value } = item;
    if (
      value !== undefined &&
      value !== null &&
      !(['number', 'boolean'].includes(typeof value) || (typeof value === 'string' && value.length <= MAX_VALUE))
    ) {
      delete item.value;
    }
  }
};

/**
 * Strapi's body parser (`strapi::body`) answers some bad requests before any route or route middleware
 * runs: malformed JSON, a JSON `__proto__` key, a body over its 1 MB limit. Its error bodies have no
 * `details` and a `SyntaxError` name, and a body whose Content-Encoding lies is a 500. On the plugin's own
 * routes (`/api/consent/...`) this wraps the whole stack, so that every refusal is Strapi's standard error
 * body naming the problem (spec 4: bad input never produces a 500), and no message repeats a rejected value
 * at length. Other routes of the app are untouched.
 */
export const apiBoundary = (strapi: Core.Strapi) => {
  const prefix = `${strapi.config.get<string>('api.rest.prefix', '/api')}/consent/`;

  return async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith(prefix)) return next();

    // Browsers and HTTP clients never compress request bodies unasked; the plugin's bodies are small.
    const encoding = ctx.get('content-encoding').trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      ctx.status = 415;
      ctx.body = {
        data: null,
        error: {
          status: 415,
          name: 'UnsupportedMediaTypeError',
          message: `Content-Encoding "${encoding}" is not accepted: send the body uncompressed`,
          details: { errors: [{ path: ['content-encoding'], message: 'must be absent or identity' }] },
        },
      } satisfies ErrorBody;
      return;
    }

    await next();

    const body = ctx.body as ErrorBody | undefined;
    if (ctx.status < 400 || ctx.status >= 500 || !body?.error) return;
    boundMessages(body.error);
    if (body.error.details) return;
    const { message } = body.error;
    if (/prototype property/i.test(message)) {
      const text = 'The body contains the forbidden key "__proto__"';
      body.error = {
        ...body.error,
        name: 'ValidationError',
        message: text,
        details: { errors: [{ path: ['__proto__'], message: text }] },
      };
    } else if (ctx.status === 413) {
      body.error = { ...body.error, name: 'PayloadTooLargeError', details: { errors: [{ path: ['body'], message }] } };
    } else if (ctx.status === 400) {
      const text = `The body is not valid JSON: ${message}`;
      body.error = {
        ...body.error,
        name: 'ValidationError',
        message: text,
        details: { errors: [{ path: ['body'], message: text }] },
      };
    } else {
      body.error = { ...body.error, details: {} };
    }
  };
};
