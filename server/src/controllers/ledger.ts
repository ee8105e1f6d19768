import type { Context } from 'koa';
import { getService } from '../utils/get-service';

/**
 * Admin: check the hash chain (spec 4.3, `POST /consent/ledger/verify`) and that the states are a replay
 * of the ledger (`POST /consent/ledger/replay`).
 */
const ledger = () => ({
  async verify(ctx: Context) {
    ctx.body = { data: await getService('ledger').verify() };
  },

  async replay(ctx: Context) {
    ctx.body = { data: await getService('ledger').replay() };
  },
});

export default ledger;
