import type { PluginRouter } from './handler';

/**
 * Routes at the site's root (RFC 8615 well-known URIs), outside the plugin's `/consent` and
 * `/api/consent` prefixes: Strapi registers a plugin router with the prefix it declares, and the admin
 * API's own prefix is empty, so `prefix: ''` puts these paths at the root. Public (`auth: false`): they
 * read the catalogue's memory, one primary-key read per request.
 */
export default {
  type: 'admin',
  prefix: '',
  routes: [
    {
      method: 'GET',
      path: '/.well-known/gpc.json',
      handler: 'well-known.gpc',
      config: { auth: false },
    },
  ],
} satisfies PluginRouter;
