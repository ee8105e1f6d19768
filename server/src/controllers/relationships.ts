import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateRelationship } from '../validation/relationships';

/** Server-to-server: `POST /api/consent/relationships`, evidence of a current contract (C7). */
const relationships = () => ({
  async upsert(ctx: Context) {
    const body = await validateRelationship((ctx.request as { body?: unknown }).body);
    ctx.status = 201;
    ctx.body = { data: await getService('relationships').upsert(body, 'api') };
  },
});

export default relationships;
