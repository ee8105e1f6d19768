import type { Context } from 'koa';
import { GoneError } from '../errors';
import { linkRefusals, withErrorPage } from '../hosted-pages/error-page';
import { renewDonePage, renewGonePage, renewInvalidPage, renewQuestionPage } from '../hosted-pages/renewal';
import { captureRequest } from '../utils/capture-request';
import { getService } from '../utils/get-service';
import { pageOrData } from '../utils/page-or-data';
import { validateTokenParam } from '../validation/token';

/** A refused re-permission link as a page, in the person's language when the link still names them. */
const asPage = (ctx: Context, run: () => Promise<void>) =>
  withErrorPage(
    ctx,
    linkRefusals({ invalid: renewInvalidPage, gone: renewGonePage }),
    (error) => (error instanceof GoneError ? (error.details as { language?: string }).language : null),
    run
  );

/** The re-permission link of I4 (`/api/consent/renew/:token`), mailed before a subscriber's three years end. */
const renewals = () => ({
  /** GET: the question; changes nothing, because mail scanners open links too. */
  async show(ctx: Context) {
    await asPage(ctx, async () => {
      const { token } = await validateTokenParam(ctx.params);
      const view = await getService('repermission').describe(token);
      await pageOrData(ctx, () => renewQuestionPage(view.language, `/api/consent/renew/${token}`, view.purposes), view);
    });
  },

  /** POST: the person's answer, "keep me subscribed". A second answer changes nothing. */
  async renew(ctx: Context) {
    await asPage(ctx, async () => {
      const { token } = await validateTokenParam(ctx.params);
      const outcome = await getService('repermission').renew(token, captureRequest(ctx));
      await pageOrData(ctx, () => renewDonePage(outcome.language, outcome.status, outcome.purposes), {
        status: outcome.status,
        purposes: outcome.purposes,
      });
    });
  },
});

export default renewals;
