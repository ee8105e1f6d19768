/** Public and server-to-server routes under /api/consent (spec 4.1 and 4.2). */
export default {
  type: 'content-api',
  routes: [] as unknown[],
};
