import type { Context } from 'koa';
import { wantsHtml } from './capture-request';

/**
 * The answer of a public link or page route: the page to a person in a browser, the JSON `{ data }` to an
 * API client (wantsHtml). The page is built only when it is sent, as building it may read the database.
 */
export const pageOrData = async (ctx: Context, page: () => string | Promise<string>, data: unknown) => {
  if (wantsHtml(ctx)) {
    ctx.type = 'html';
    ctx.body = await page();
    return;
  }
  ctx.body = { data };
};
