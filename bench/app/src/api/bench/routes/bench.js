/**
 * The HTTP floor: `{ ok: true }` with no database access, through the same middlewares as every content
 * API route. `/ping` is public; `/ping-auth` takes the API token like the eligibility routes, so the cost
 * of token authentication shows on its own.
 */
module.exports = {
  routes: [
    { method: 'GET', path: '/bench/ping', handler: 'bench.ping', config: { auth: false } },
    { method: 'GET', path: '/bench/ping-auth', handler: 'bench.ping' },
  ],
};
