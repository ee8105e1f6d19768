import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateEligibilityBulk, validateEligibilityQuery } from '../validation/eligibility';

/** Server-to-server (API token): "may I contact this person for this purpose on this channel?" (spec 4.2). */
const eligibility = () => ({
  async check(ctx: Context) {
    const { purpose, channel, ref, jurisdiction } = await validateEligibilityQuery(ctx.query);
    ctx.body = { data: await getService('eligibility').check(purpose, channel, ref, { jurisdiction }) };
  },

  async checkMany(ctx: Context) {
    const { purpose, channel, refs, jurisdiction } = await validateEligibilityBulk((ctx.request as { body?: unknown }).body);
    const answers = await getService('eligibility').checkMany(purpose, channel, refs, { jurisdiction });
    ctx.body = { data: answers.map((answer, i) => ({ ref: refs[i], ...answer })) };
  },
});

export default eligibility;
