import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateImport } from '../validation/imports';

/** Server-to-server: `POST /api/consent/events`, consent captured elsewhere (spec 4.2; J2). */
const imports = () => ({
  async create(ctx: Context) {
    const body = await validateImport((ctx.request as { body?: unknown }).body);
    const { replayed, data } = await getService('imports').record(body);
    // A retry with the same reference gets the first answer again, and nothing is written twice.
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = 201;
    ctx.body = { data };
  },
});

export default imports;
