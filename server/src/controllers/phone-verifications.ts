import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validatePhoneVerification } from '../validation/phone-verification';

/** Server-to-server: `POST /api/consent/phone-verifications`, a verified number confirms pending phone/SMS consent (C8, N16). */
const phoneVerifications = () => ({
  async create(ctx: Context) {
    const body = await validatePhoneVerification((ctx.request as { body?: unknown }).body);
    ctx.status = 200;
    ctx.body = { data: await getService('confirmations').verifyPhone(body) };
  },
});

export default phoneVerifications;
