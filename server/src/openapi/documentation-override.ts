import type { OpenApiDocument } from './document';
import { pathsAndSchemasTo30 } from './openapi-30';

/**
 * What the plugin hands to `@strapi/plugin-documentation` (5.x): the paths, tags and components of its own
 * description, fitted into the site's document.
 * - No `info`: the documentation plugin applies an override carrying `info.version` only to the documentation
 *   version equal to it, and that version is the site's (`1.0.0` by default), not this package's.
 * - Component schemas are renamed `Consent…`: the plugin merges components by name, so our `Error` would
 *   replace the site's for every other route, and a content type of the site could replace ours.
 * - `bearerAuth` is the site's when it defines one (the documentation plugin does by default).
 * - When the site's document declares OpenAPI 3.0 (the documentation plugin's default, and what its Swagger
 *   UI reads), the schemas are rewritten in 3.0's dialect (openapi-30.ts).
 */
export const SCHEMA_PREFIX = 'Consent';

type Json = Record<string, unknown>;

const prefixed = (name: string) => (name.startsWith(SCHEMA_PREFIX) ? name : `${SCHEMA_PREFIX}${name}`);

const renameRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(renameRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string'
        ? inner.replace(/^#\/components\/schemas\/(.+)$/, (_, name: string) => `#/components/schemas/${prefixed(name)}`)
        : renameRefs(inner),
    ])
  );
};

export interface SiteDocumentation {
  openapi?: string;
  components?: { securitySchemes?: Record<string, unknown> };
}

export const documentationOverride = (document: OpenApiDocument, site: SiteDocumentation = {}) => {
  const renamed = renameRefs({
    paths: document.paths,
    schemas: Object.fromEntries(Object.entries(document.components.schemas).map(([n, s]) => [prefixed(n), s])),
  }) as { paths: Json; schemas: Json };
  const { paths, schemas } = String(site.openapi ?? '3.0.0').startsWith('3.0')
    ? pathsAndSchemasTo30(renamed.paths, renamed.schemas)
    : renamed;
  const siteSchemes = site.components?.securitySchemes ?? {};
  const securitySchemes = Object.fromEntries(
    Object.entries(document.components.securitySchemes).filter(([name]) => !(name in siteSchemes))
  );
  return {
    tags: document.tags,
    paths,
    components: { schemas, ...(Object.keys(securitySchemes).length > 0 && { securitySchemes }) },
  };
};
