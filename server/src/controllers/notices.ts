import type { Context } from 'koa';
import type { NoticeInput } from '../../../shared/contracts/notices';
import { getService } from '../utils/get-service';
import {
  validateCreateNotice,
  validateListNotices,
  validateNoticeId,
  validateUpdateNotice,
} from '../validation/notice';

const idOf = async (ctx: Context) => Number((await validateNoticeId(ctx.params)).id);

/** Admin: notice versions (spec 4.3). Drafts are edited in place; publishing freezes them. */
const notices = () => ({
  async find(ctx: Context) {
    const filter = await validateListNotices(ctx.query);
    ctx.body = { data: await getService('notices').list(filter) };
  },
  /** What the editor's live A7 checklist needs besides the text: the controller from the configuration. */
  async checklist(ctx: Context) {
    ctx.body = { data: { controller: getService('notices').controller() } };
  },
  async findOne(ctx: Context) {
    ctx.body = { data: await getService('notices').find(await idOf(ctx)) };
  },
  async create(ctx: Context) {
    const input = (await validateCreateNotice(ctx.request.body)) as NoticeInput;
    ctx.status = 201;
    ctx.body = { data: await getService('notices').createDraft(input) };
  },
  async update(ctx: Context) {
    const id = await idOf(ctx);
    const patch = (await validateUpdateNotice(ctx.request.body)) as Partial<NoticeInput>;
    ctx.body = { data: await getService('notices').updateDraft(id, patch) };
  },
  async delete(ctx: Context) {
    const id = await idOf(ctx);
    await getService('notices').removeDraft(id);
    ctx.body = { data: { id, deleted: true } };
  },
  async publish(ctx: Context) {
    ctx.body = { data: await getService('notices').publish(await idOf(ctx)) };
  },
});

export default notices;
