import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { gpcResource } from '../domain/gpc-resource';
import { getService } from '../utils/get-service';

/** Public resources at the site's root, outside /api (routes/well-known.ts). */
const wellKnown = () => ({
  /** `GET /.well-known/gpc.json` (F4): the body is the resource itself, not wrapped in `{ data }`. */
  async gpc(ctx: Context) {
    const resource = gpcResource(await (await getService('catalogue').view()).gpcPurposes());
    if (!resource) throw new errors.NotFoundError('This site does not honour Global Privacy Control for any purpose');
    ctx.body = resource;
  },
});

export default wellKnown;
