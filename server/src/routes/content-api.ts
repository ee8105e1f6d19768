/**
 * Public and server-to-server routes under /api/consent (spec 4.1 and 4.2). Public routes are
 * `auth: false`: they work right after installation, protected by validation (and, with the capture
 * routes, origin checks, signed tokens and rate limits).
 */
export default {
  type: 'content-api',
  routes: [
    {
      method: 'GET',
      path: '/jwks.json',
      handler: 'jwks.find',
      config: { auth: false },
    },
    {
      method: 'GET',
      path: '/forms/:key',
      handler: 'public-forms.findOne',
      config: { auth: false },
    },
  ],
};
