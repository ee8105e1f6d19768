import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateAudienceRequest } from '../validation/audiences';

/** Server-to-server (API token): every person eligible now for a purpose on a channel (spec 4.2). */
const audiences = () => ({
  async stream(ctx: Context) {
    const { purpose, channel, format, jurisdiction } = await validateAudienceRequest(ctx.params, ctx.query);
    const audience = await getService('audiences').stream(purpose, channel, format, { jurisdiction });
    ctx.set('Content-Type', audience.contentType);
    if (format === 'csv') ctx.set('Content-Disposition', `attachment; filename="${audience.filename}"`);
    // A list of people's addresses: no proxy or browser cache may keep a copy.
    ctx.set('Cache-Control', 'no-store');
    // Registered before Koa's own listener: until the first line is out, Koa answers an error as usual;
    // after it, no status can change any more, so the connection is cut and the client sees an incomplete
    // audience instead of waiting for its end (a pipe leaves its destination open on a source error).
    audience.body.once('error', () => {
      if (ctx.res.headersSent) ctx.res.destroy();
    });
    ctx.body = audience.body;
  },
});

export default audiences;
