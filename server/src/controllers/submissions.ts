import type { Context } from 'koa';
import { visitorLanguage } from '../hosted-pages/error-page';
import { submissionAcceptedPage } from '../hosted-pages/submission';
import { captureRequest, isFormBody, isHtmlFormPost } from '../utils/capture-request';
import { getService } from '../utils/get-service';
import { fromUrlencoded, validateSubmission } from '../validation/submission';

/** Public: `POST /api/consent/submissions` (spec 4.1), JSON or a plain HTML form. */
const submissions = () => ({
  async create(ctx: Context) {
    const raw = (ctx.request as { body?: unknown }).body;
    const form = isFormBody(ctx);
    const body = await validateSubmission(
      form && raw && typeof raw === 'object' ? fromUrlencoded(raw as Record<string, unknown>) : raw
    );
    const result = await getService('capture').submit(body, captureRequest(ctx));

    if (isHtmlFormPost(ctx)) {
      const successUrl = await getService('forms').successUrl(body.form);
      if (successUrl) {
        // The thanks page cannot call the API for a visitor without JavaScript: it gets what it needs to say
        // what happens next, in the visitor's language (docs/front-ends.md). The URL's own parameters stay.
        const target = new URL(successUrl);
        target.searchParams.set('receipt', result.receipt.receiptId);
        target.searchParams.set('locale', body.locale ?? 'en');
        const pending = Object.keys(result.states).filter((key) => result.states[key] === 'pending');
        if (pending.length) target.searchParams.set('pending', pending.join(','));
        else target.searchParams.delete('pending');
        ctx.status = 303;
        ctx.redirect(target.toString());
        return;
      }
      ctx.status = 201;
      ctx.type = 'html';
      ctx.body = submissionAcceptedPage(visitorLanguage(ctx, body.locale), result.receipt.receiptId, result.states);
      return;
    }
    ctx.status = 201;
    ctx.body = {
      data: {
        receipt: result.receipt,
        states: result.states,
        ...(result.confirmation ? { confirmation: result.confirmation } : {}),
        ...(result.parentalConsent ? { parentalConsent: result.parentalConsent } : {}),
      },
    };
  },
});

export default submissions;
