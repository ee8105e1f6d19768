import type { Context } from 'koa';
import { getService } from '../utils/get-service';

/**
 * Public: the receipt-signing keys as a JWK Set (RFC 7517). The body is the JWK Set itself, not wrapped
 * in `{ data }`, so that standard JOSE libraries can fetch it directly.
 */
const jwks = () => ({
  async find(ctx: Context) {
    const set = await getService('receipts').jwks();
    ctx.set('Cache-Control', 'public, max-age=300');
    // A string body keeps the JWK Set media type (an object body would be sent as application/json).
    ctx.type = 'application/jwk-set+json';
    ctx.body = JSON.stringify(set);
  },
});

export default jwks;
