import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { GoneError } from '../errors';
import { wantsHtml } from './capture-request';

/** The pages a mailed link shows when it is refused, in the language given. */
export interface RefusalPages {
  /** 400: the link was changed or made up. */
  invalid: (language: string) => string | Promise<string>;
  /** 410: the link was ours but leads nowhere any more (expired, request deleted, person erased). */
  gone?: (language: string, error: GoneError) => string | Promise<string>;
}

/**
 * Runs a handler of a mailed link (confirmation, unsubscribe, preference centre, re-permission) and
 * renders its expected refusals as pages for browsers; JSON clients get Strapi's error body as usual.
 * `language` picks the page's language for a refusal (the person's when the route can tell).
 */
export const asLinkPage = async (
  ctx: Context,
  pages: RefusalPages,
  language: (error: unknown) => string | Promise<string>,
  run: () => Promise<void>
) => {
  try {
    await run();
  } catch (error) {
    if (!wantsHtml(ctx)) throw error;
    if (error instanceof GoneError && pages.gone) {
      const body = await pages.gone(await language(error), error);
      ctx.status = 410;
      ctx.type = 'html';
      ctx.body = body;
      return;
    }
    if (error instanceof errors.ValidationError) {
      const body = await pages.invalid(await language(error));
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = body;
      return;
    }
    throw error;
  }
};
