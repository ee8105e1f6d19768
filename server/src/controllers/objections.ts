import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateWithdrawal } from '../validation/opt-out';

/**
 * Admin: an objection or withdrawal received by letter, phone or reply mail (C5), entered by staff. It
 * takes the same path as the person's own (`opt-out.withdraw`), recorded with method `admin` and the
 * admin as actor, so it applies across every channel and system fed by the plugin.
 */
const objections = () => ({
  async create(ctx: Context) {
    const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
    const { note, ...rest } = body;
    const input = await validateWithdrawal(rest);
    const admin = (ctx.state as { user?: { id: number } }).user;
    const result = await getService('opt-out').withdraw(input, {
      method: 'admin',
      actor: `admin:${admin?.id ?? 'unknown'}`,
      source: 'admin',
      note: typeof note === 'string' ? note.slice(0, 1000) : undefined,
    });
    ctx.status = 201;
    ctx.body = { data: { subject: result.subject, changed: result.changed } };
  },
});

export default objections;
