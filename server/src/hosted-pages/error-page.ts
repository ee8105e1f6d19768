import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { chooseLanguage, PAGE_LANGUAGES, type PageLanguage } from '../domain/page-language';
import { GoneError } from '../errors';
import { wantsHtml } from '../utils/capture-request';

/** The page language of a request, given what the route knows of the person (their form's language). */
export const visitorLanguage = (ctx: Context, person?: string | null): PageLanguage =>
  chooseLanguage({
    asked: ctx.query?.locale,
    person,
    browser: ctx.get('accept-language') ? ctx.acceptsLanguages(...PAGE_LANGUAGES) : null,
  });

/** A refusal as a visitor reads it: its status and the page, or null for an error no page explains. */
export type ErrorPages = (error: unknown, language: PageLanguage) => string | null | Promise<string | null>;

/** The pages a mailed link shows when it is refused. */
export interface LinkRefusals {
  /** 400: the link was changed or made up. */
  invalid: (language: string) => string;
  /** 410: the link was ours but leads nowhere any more (expired, request deleted, person erased). */
  gone?: (language: string, error: GoneError) => string;
}

/** A mailed link's refusals: a bad link (400) and, where the route has one, a dead link (410). */
export const linkRefusals =
  (pages: LinkRefusals): ErrorPages =>
  (error, language) => {
    if (error instanceof GoneError) return pages.gone ? pages.gone(language, error) : null;
    if (error instanceof errors.ValidationError) return pages.invalid(language);
    return null;
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
export const clientStatusOf = (error: unknown): number | undefined => {
  const { status, name } = (error ?? {}) as { status?: unknown; name?: string };
  const code = typeof status === 'number' ? status : name ? STATUS_BY_NAME[name] : undefined;
  return code !== undefined && code >= 400 && code < 500 ? code : undefined;
};

/**
 * The one way a public route answers a browser with a page instead of Strapi's JSON error body: for a
 * client error (4xx) that `pages` has a page for, in the visitor's language (`person`: the language the
 * route knows the person by, which may depend on the error). Answers true when the page was sent; false
 * leaves the error to the caller to throw, as JSON clients and server errors always are.
 */
export const errorPage = async (
  ctx: Context,
  error: unknown,
  pages: ErrorPages,
  person?: (error: unknown) => string | null | undefined | Promise<string | null | undefined>
): Promise<boolean> => {
  const status = clientStatusOf(error);
  if (status === undefined || !wantsHtml(ctx)) return false;
  const html = await pages(error, visitorLanguage(ctx, person ? await person(error) : null));
  if (html === null) return false;
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = html;
  return true;
};

/** Runs a public route's handler and answers its refusals with `errorPage`; anything else is thrown on. */
export const withErrorPage = async (
  ctx: Context,
  pages: ErrorPages,
  person: Parameters<typeof errorPage>[3],
  run: () => Promise<void>
) => {
  try {
    await run();
  } catch (error) {
    if (!(await errorPage(ctx, error, pages, person))) throw error;
  }
};
