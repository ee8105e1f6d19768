import type { Context } from 'koa';
import { GoneError } from '../errors';
import { linkRefusals, visitorLanguage, withErrorPage } from '../hosted-pages/error-page';
import {
  confirmDonePage,
  confirmExpiredPage,
  confirmInvalidPage,
  confirmQuestionPage,
  confirmResentPage,
} from '../hosted-pages/confirmation';
import { captureRequest } from '../utils/capture-request';
import { getService } from '../utils/get-service';
import { pageOrData } from '../utils/page-or-data';
import { validateTokenParam } from '../validation/token';

/** A refused confirmation link as a page (an expired one offers a new link). */
const asPage = (ctx: Context, token: string, run: () => Promise<void>) =>
  withErrorPage(
    ctx,
    linkRefusals({
      invalid: confirmInvalidPage,
      gone: (language, error) =>
        confirmExpiredPage(
          language,
          (error.details as { resend?: boolean }).resend ? `/api/consent/confirm/${token}/resend` : null
        ),
    }),
    undefined,
    run
  );

/** Public double opt-in links (spec 4.1; B1–B6). */
const confirmations = () => ({
  /** GET: shows the question; changes nothing, because mail scanners open links too. */
  async show(ctx: Context) {
    await asPage(ctx, String(ctx.params.token), async () => {
      const { token } = await validateTokenParam(ctx.params);
      const view = await getService('confirmations').describe(token);
      if (view.expired && !view.confirmed) {
        throw new GoneError('This confirmation link has expired. You can ask for a new one.', { resend: true });
      }
      await pageOrData(
        ctx,
        () =>
          view.confirmed
            ? confirmDonePage(view.language, 'already-confirmed', view.purposes, view.preferencesUrl)
            : confirmQuestionPage(view.language, `/api/consent/confirm/${token}`, view.purposes),
        { confirmed: view.confirmed, purposes: view.purposes, language: view.language }
      );
    });
  },

  /** POST: confirms. A second confirmation answers 200 "already confirmed". */
  async confirm(ctx: Context) {
    await asPage(ctx, String(ctx.params.token), async () => {
      const { token } = await validateTokenParam(ctx.params);
      const outcome = await getService('confirmations').confirm(token, captureRequest(ctx));
      await pageOrData(
        ctx,
        () =>
          confirmDonePage(
            outcome.language,
            outcome.status,
            outcome.purposes.map((p) => p.name),
            outcome.preferencesUrl
          ),
        { status: outcome.status, states: Object.fromEntries(outcome.purposes.map((p) => [p.key, p.state])) }
      );
    });
  },

  /** POST: a new link for the same request, throttled per address (429). */
  async resend(ctx: Context) {
    await asPage(ctx, String(ctx.params.token), async () => {
      const { token } = await validateTokenParam(ctx.params);
      const { language } = await getService('confirmations').resend(token);
      ctx.status = 202;
      // The same answer whether or not a mail went out: a link must not tell who signed up.
      await pageOrData(ctx, () => confirmResentPage(visitorLanguage(ctx, language)), { status: 'accepted' });
    });
  },
});

export default confirmations;
