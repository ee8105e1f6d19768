import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { getService } from '../utils/get-service';
import { validateMessageQuery, validateMessageRequest } from '../validation/messages';
import { apiActor } from './contacts';

/**
 * Server-to-server: `POST /api/consent/messages` queues a consent-gated send (202 with its id) and
 * `GET /api/consent/messages/:id` follows it (status, counts, one page of recipients).
 */
const messages = () => ({
  async create(ctx: Context) {
    const limits = (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).messages;
    const input = await validateMessageRequest((ctx.request as { body?: unknown }).body, limits);
    const id = await getService('messages').enqueue(input, apiActor(ctx));
    ctx.status = 202;
    ctx.body = { data: { id } };
  },

  async findOne(ctx: Context) {
    const { id, page, pageSize, status } = await validateMessageQuery(ctx.params, ctx.query);
    const job = await getService('messages').find(id, { page, pageSize, status });
    if (!job) throw new errors.NotFoundError(`No message with id ${id}`);
    ctx.body = { data: job };
  },

  /** Admin: the latest messages and their progress. */
  async list(ctx: Context) {
    ctx.body = { data: await getService('messages').list() };
  },
});

export default messages;
