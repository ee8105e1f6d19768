import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateEligibilityBody, validateEligibilityQuery } from '../validation/eligibility';

/** Server-to-server (API token): "may I contact this person for this purpose on this channel?" (spec 4.2). */
const eligibility = () => ({
  async check(ctx: Context) {
    const { purpose, channel, ref, jurisdiction } = await validateEligibilityQuery(ctx.query);
    ctx.body = { data: await getService('eligibility').check(purpose, channel, ref, { jurisdiction }) };
  },

  /**
   * One person in the body, answered as the GET is, keeps identifiers out of URLs and so out of access
   * logs; a list answers up to 10,000. One handler, so API tokens given `checkMany` keep working.
   */
  async checkMany(ctx: Context) {
    const question = await validateEligibilityBody((ctx.request as { body?: unknown }).body);
    if (question.one) {
      const { purpose, channel, ref, jurisdiction } = question.one;
      ctx.body = { data: await getService('eligibility').check(purpose, channel, ref, { jurisdiction }) };
      return;
    }
    const { purpose, channel, refs, jurisdiction } = question.many;
    const answers = await getService('eligibility').checkMany(purpose, channel, refs, { jurisdiction });
    ctx.body = { data: answers.map((answer, i) => ({ ref: refs[i], ...answer })) };
  },
});

export default eligibility;
