import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateVerify } from '../validation/records';

/**
 * Admin: check the hash chain (spec 4.3, `POST /consent/ledger/verify`: from the newest signed checkpoint,
 * or from the first event with `?full=true`) and that the states are a replay of the ledger
 * (`POST /consent/ledger/replay`).
 */
const ledger = () => ({
  async verify(ctx: Context) {
    const { from } = await validateVerify(ctx.query);
    ctx.body = { data: await getService('ledger').verify({ from }) };
  },

  async replay(ctx: Context) {
    ctx.body = { data: await getService('ledger').replay() };
  },
});

export default ledger;
