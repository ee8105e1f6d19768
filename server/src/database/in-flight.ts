import type { Core } from '@strapi/strapi';

/**
 * How many of one request's queries are worth having in flight at once: two on a client/server database
 * (the database works on one while this thread handles the other), one on SQLite, whose queries run in
 * this thread on a single connection, so a second would only wait. Group commits, audience pages read
 * ahead and a bulk check's chunks all follow it.
 */
export const queriesInFlight = (strapi: Core.Strapi): 1 | 2 => (strapi.db.dialect.client === 'sqlite' ? 1 : 2);
