import type { Context } from 'koa';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { hasGpc } from '../domain/request-context';
import type { CaptureRequest } from '../services/capture';

const originOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
};

// The configured public URL's origin, parsed once per value rather than once per submission.
let lastPublicUrl: string | undefined;
let lastPublicOrigin: string | undefined;
const publicOrigin = (publicUrl: string | undefined) => {
  if (publicUrl !== lastPublicUrl) {
    lastPublicOrigin = originOf(publicUrl);
    lastPublicUrl = publicUrl;
  }
  return lastPublicOrigin;
};

/** The parts of an HTTP request that capture needs. `ctx.ip` honours Strapi's `server.proxy` setting. */
export const captureRequest = (ctx: Context): CaptureRequest => {
  const publicUrl = (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).publicUrl;
  return {
    origin: ctx.get('origin') || undefined,
    referer: ctx.get('referer') || undefined,
    ownOrigins: [ctx.origin, publicOrigin(publicUrl)].filter((o): o is string => !!o),
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || undefined,
    gpc: hasGpc(ctx.req.headers['sec-gpc']),
  };
};

/** A person in a browser (a mail link, a page's button) gets pages; an API client gets JSON. */
export const wantsHtml = (ctx: Context) => ctx.accepts('json', 'html') === 'html';

/**
 * A urlencoded or multipart body. Both media types contain "form": a JSON body, the common case, is told
 * apart by a substring test instead of type-is parsing the Content-Type (twice a submission).
 */
export const isFormBody = (ctx: Context): boolean => {
  const type = ctx.req.headers['content-type'];
  return (
    typeof type === 'string' &&
    /form/i.test(type) &&
    !!ctx.is('application/x-www-form-urlencoded', 'multipart/form-data')
  );
};

/** A plain HTML form post (no JavaScript): urlencoded or multipart, from a browser that wants a page. */
export const isHtmlFormPost = (ctx: Context) => isFormBody(ctx) && wantsHtml(ctx);
