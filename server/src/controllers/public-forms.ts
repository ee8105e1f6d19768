import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateKeyParam, validatePublicFormQuery } from '../validation/form';

/** Public: the definition a front end renders a form from (spec 4.1). */
const publicForms = () => ({
  async findOne(ctx: Context) {
    const { key } = await validateKeyParam(ctx.params);
    const { locale } = await validatePublicFormQuery(ctx.query);
    ctx.body = { data: await getService('forms').definition(key, locale) };
  },
});

export default publicForms;
