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

/** The parts of an HTTP request that capture needs. `ctx.ip` honours Strapi's `server.proxy` setting. */
export const captureRequest = (ctx: Context): CaptureRequest => {
  const publicUrl = (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).publicUrl;
  return {
    origin: ctx.get('origin') || undefined,
    referer: ctx.get('referer') || undefined,
    ownOrigins: [ctx.origin, originOf(publicUrl)].filter((o): o is string => !!o),
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || undefined,
    gpc: hasGpc(ctx.req.headers['sec-gpc']),
  };
};

/** A person in a browser (a mail link, a page's button) gets pages; an API client gets JSON. */
export const wantsHtml = (ctx: Context) => ctx.accepts('json', 'html') === 'html';

/** A plain HTML form post (no JavaScript): urlencoded or multipart, from a browser that wants a page. */
export const isHtmlFormPost = (ctx: Context) =>
  !!ctx.is('application/x-www-form-urlencoded', 'multipart/form-data') && wantsHtml(ctx);
