import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { openApiDocument } from './document';
import { documentationOverride, type SiteDocumentation } from './documentation-override';

interface DocumentationConfig extends SiteDocumentation {
  'x-strapi-config'?: { plugins?: string[] | null };
}

/** The package's version: `package.json` is two folders up from both the sources and the built bundle. */
export const packageVersion = (): string => {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
};

/**
 * With `@strapi/plugin-documentation` installed, its Swagger UI shows the plugin's routes from our own
 * description instead of one it would guess from the routes (it cannot see our bodies, tokens or pages).
 * The plugin's routes are left out of its generation, so each appears once. `x-strapi-config.plugins` is
 * the site's choice of plugins to document: unset (the default: upload and users-permissions) we add ours,
 * a list without `consent` leaves ours out. No `pluginOrigin` is passed: with the default list the
 * documentation plugin would drop our override without a word.
 */
export const registerWithDocumentationPlugin = (strapi: Core.Strapi) => {
  const documentation = strapi.plugin('documentation');
  if (!documentation) return;
  const site = strapi.config.get<DocumentationConfig>('plugin::documentation', {});
  const listed = site['x-strapi-config']?.plugins;
  if (Array.isArray(listed) && !listed.includes('consent')) return;
  try {
    documentation.service('override').registerOverride(documentationOverride(openApiDocument(packageVersion()), site), {
      excludeFromGeneration: ['consent'],
    });
  } catch (error) {
    strapi.log.warn(`[consent] the documentation plugin refused the OpenAPI description: ${(error as Error).message}`);
  }
};
