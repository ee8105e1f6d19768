import type { Context } from 'koa';
import { getService } from '../utils/get-service';

/** Admin: check the hash chain (spec 4.3, `POST /consent/ledger/verify`). */
const ledger = () => ({
  async verify(ctx: Context) {
    ctx.body = { data: await getService('ledger').verify() };
  },
});

export default ledger;
