import type { Context } from 'koa';
import { getService } from '../utils/get-service';

const settings = () => ({
  async find(ctx: Context) {
    ctx.body = { data: getService('settings').effective() };
  },
});

export default settings;
