import type { Context } from 'koa';
import type { FormInput } from '../../../shared/contracts/forms';
import { getService } from '../utils/get-service';
import { validateCreateForm, validateFormPreview, validateKeyParam, validateUpdateForm } from '../validation/form';

/** Admin: forms (spec 4.3). */
const forms = () => ({
  async find(ctx: Context) {
    ctx.body = { data: await getService('forms').list() };
  },
  async findOne(ctx: Context) {
    const { key } = await validateKeyParam(ctx.params);
    ctx.body = { data: await getService('forms').find(key) };
  },
  async create(ctx: Context) {
    const input = (await validateCreateForm(ctx.request.body)) as FormInput;
    ctx.status = 201;
    ctx.body = { data: await getService('forms').create(input) };
  },
  async update(ctx: Context) {
    const { key } = await validateKeyParam(ctx.params);
    const patch = (await validateUpdateForm(ctx.request.body)) as Partial<FormInput>;
    ctx.body = { data: await getService('forms').update(key, patch) };
  },
  /** The public definition of the form as edited (saved or not), for the admin's live preview. */
  async preview(ctx: Context) {
    const { form, locale } = await validateFormPreview(ctx.request.body);
    ctx.body = {
      data: await getService('forms').preview(
        {
          key: form.key ?? 'preview',
          name: form.name ?? '',
          purposes: form.purposes ?? [],
          doubleOptIn: !!form.doubleOptIn,
          privacyPolicyUrl: form.privacyPolicyUrl ?? null,
          // The preview shows the age question of a form offered to children (G1).
          offeredToChildren: !!form.offeredToChildren,
          childrenCountry: form.childrenCountry ?? null,
          jurisdiction: form.jurisdiction ?? null,
        },
        locale
      ),
    };
  },
  async delete(ctx: Context) {
    const { key } = await validateKeyParam(ctx.params);
    await getService('forms').remove(key);
    ctx.body = { data: { key, deleted: true } };
  },
});

export default forms;
