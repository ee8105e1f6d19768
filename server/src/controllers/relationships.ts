import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateRelationships } from '../validation/relationships';

/**
 * Server-to-server: `POST /api/consent/relationships`, evidence of a current contract (C7). One
 * relationship, or `{ relationships: [...] }` imported from the site's customer system, all or nothing.
 */
const relationships = () => ({
  async upsert(ctx: Context) {
    const { items, batch } = await validateRelationships((ctx.request as { body?: unknown }).body);
    const recorded = await getService('relationships').upsertMany(items, batch ? 'import' : 'api');
    ctx.status = 201;
    ctx.body = { data: batch ? recorded : recorded[0] };
  },
});

export default relationships;
