import type { Core } from '@strapi/strapi';
import type { GetSettings } from '../../../shared/contracts/settings';
import { getService } from '../utils/get-service';

const settings = (_: { strapi: Core.Strapi }) => ({
  async find(ctx: { body: GetSettings.Response }) {
    ctx.body = { data: getService('settings').effective() };
  },
});

export default settings;
