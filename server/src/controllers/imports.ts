import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateImport } from '../validation/imports';

/** Server-to-server: `POST /api/consent/events`, consent captured elsewhere (spec 4.2; J2). */
const imports = () => ({
  async create(ctx: Context) {
    const body = await validateImport((ctx.request as { body?: unknown }).body);
    ctx.status = 201;
    ctx.body = { data: await getService('imports').record(body) };
  },
});

export default imports;
