import type { Context } from 'koa';
import type { PurposeInput } from '../../../shared/contracts/purposes';
import { getService } from '../utils/get-service';
import { validateKeyParam } from '../validation/form';
import { validateCreatePurpose, validateUpdatePurpose } from '../validation/purpose';

/** Admin: purposes (spec 4.3). Validate, call the service, answer `{ data }`. */
const purposes = () => ({
  async find(ctx: Context) {
    ctx.body = { data: await getService('purposes').list() };
  },
  async findOne(ctx: Context) {
    const { key } = await validateKeyParam(ctx.params);
    ctx.body = { data: await getService('purposes').find(key) };
  },
  async create(ctx: Context) {
    const input = (await validateCreatePurpose(ctx.request.body)) as PurposeInput;
    ctx.status = 201;
    ctx.body = { data: await getService('purposes').create(input) };
  },
  async update(ctx: Context) {
    const { key } = await validateKeyParam(ctx.params);
    const patch = (await validateUpdatePurpose(ctx.request.body)) as Partial<PurposeInput>;
    ctx.body = { data: await getService('purposes').update(key, patch) };
  },
  async delete(ctx: Context) {
    const { key } = await validateKeyParam(ctx.params);
    await getService('purposes').remove(key);
    ctx.body = { data: { key, deleted: true } };
  },
});

export default purposes;
