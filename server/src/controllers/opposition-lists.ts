import type { Context } from 'koa';
import { ORIGINAL_CONTENT_TYPE } from '../middlewares/raw-body';
import { getService } from '../utils/get-service';
import { validateOppositionListImport } from '../validation/opposition-list';

/** Admin: import a telephone or email opposition list (spec 4.3, `POST /consent/opposition-lists/import`). */
const oppositionLists = () => ({
  async import(ctx: Context) {
    const options = await validateOppositionListImport({
      query: ctx.query,
      contentType: (ctx.state[ORIGINAL_CONTENT_TYPE] as string | undefined) ?? ctx.get('content-type'),
      contentEncoding: ctx.get('content-encoding'),
      contentLength: ctx.get('content-length'),
    });
    // The raw request, still unread (middlewares/raw-body): the list is read as it arrives.
    ctx.body = { data: await getService('suppression').importList(ctx.req, options) };
  },
});

export default oppositionLists;
