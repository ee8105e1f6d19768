import type { Context } from 'koa';
import { GoneError } from '../errors';
import { linkRefusals, withErrorPage } from '../hosted-pages/error-page';
import {
  parentalDonePage,
  parentalExpiredPage,
  parentalInvalidPage,
  parentalQuestionPage,
} from '../hosted-pages/parental-consent';
import { captureRequest } from '../utils/capture-request';
import { getService } from '../utils/get-service';
import { pageOrData } from '../utils/page-or-data';
import { validateTokenParam } from '../validation/token';

const asPage = (ctx: Context, run: () => Promise<void>) =>
  withErrorPage(
    ctx,
    linkRefusals({ invalid: parentalInvalidPage, gone: (language) => parentalExpiredPage(language) }),
    undefined,
    run
  );

/** Public: the link mailed to a holder of parental responsibility (G2, G4). */
const parentalConsents = () => ({
  /** GET: the question; changes nothing, because mail scanners open links too. */
  async show(ctx: Context) {
    await asPage(ctx, async () => {
      const { token } = await validateTokenParam(ctx.params);
      const view = await getService('parental-consents').describe(token);
      if (view.expired && !view.confirmed) throw new GoneError('This link has expired.', { resend: false });
      await pageOrData(
        ctx,
        () =>
          view.confirmed
            ? parentalDonePage(view.language, 'already-confirmed', view.purposes)
            : parentalQuestionPage(view.language, `/api/consent/parental-consent/${token}`, view.purposes),
        { confirmed: view.confirmed, purposes: view.purposes, language: view.language }
      );
    });
  },

  /** POST: the parent consents. A second press answers 200 "already confirmed". */
  async confirm(ctx: Context) {
    await asPage(ctx, async () => {
      const { token } = await validateTokenParam(ctx.params);
      const outcome = await getService('parental-consents').confirm(token, captureRequest(ctx));
      await pageOrData(
        ctx,
        () =>
          parentalDonePage(
            outcome.language,
            outcome.status,
            outcome.purposes.map((p) => p.name)
          ),
        { status: outcome.status, states: Object.fromEntries(outcome.purposes.map((p) => [p.key, p.state])) }
      );
    });
  },
});

export default parentalConsents;
