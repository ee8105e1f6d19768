import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { openApiDocument } from './document';

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
 * The same override API Strapi's users-permissions plugin uses; without the plugin, nothing happens.
 */
export const registerWithDocumentationPlugin = (strapi: Core.Strapi) => {
  const documentation = strapi.plugin('documentation');
  if (!documentation) return;
  try {
    documentation.service('override').registerOverride(openApiDocument(packageVersion()), {
      pluginOrigin: 'consent',
      excludeFromGeneration: ['consent'],
    });
  } catch (error) {
    strapi.log.warn(`[consent] the documentation plugin refused the OpenAPI description: ${(error as Error).message}`);
  }
};
