import type controllers from '../controllers';

type Controllers = typeof controllers;

/**
 * A route's `handler`, `'<controller>.<method>'`, as the type checker knows the controllers: Strapi only
 * resolves the string at boot, so a typo or a renamed method would otherwise surface as a boot error (or a
 * route that never matches) instead of a `npm run typecheck` failure.
 */
export type Handler = {
  [C in keyof Controllers & string]: `${C}.${keyof ReturnType<Controllers[C]> & string}`;
}[keyof Controllers & string];

/** One route of a router file: only `handler` is narrowed, the rest is what Strapi reads as it is. */
export interface PluginRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handler: Handler;
  config?: Record<string, unknown>;
}

/** A router file: the routes of one of Strapi's route types (`prefix: ''` puts them at the site's root). */
export interface PluginRouter {
  type: 'admin' | 'content-api';
  prefix?: string;
  routes: PluginRoute[];
}
