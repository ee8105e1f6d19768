import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootStrapi, type TestStrapi } from './strapi';

/**
 * Boots the playground with `@strapi/plugin-documentation` (PLAYGROUND_DOCUMENTATION) and the given
 * documentation config. That plugin writes its generated document and Swagger UI page under the app's
 * `src/extensions/documentation`; each boot gets its own temporary folder instead, so that files booting in
 * parallel never read each other's document and the playground's sources stay untouched.
 */
export interface DocumentedStrapi extends TestStrapi {
  /** The generated `full_documentation.json` of the site's documentation version (1.0.0 by default). */
  fullDocumentation(version?: string): Record<string, any>;
}

export const bootWithDocumentation = async (
  config: Record<string, unknown> = {},
  env: Record<string, string> = {}
): Promise<DocumentedStrapi> => {
  const extensions = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-documentation-'));
  const app = await bootStrapi({
    env: { PLAYGROUND_DOCUMENTATION: 'true', CONSENT_TEST_DOCUMENTATION_CONFIG: JSON.stringify(config), ...env },
    beforeLoad: (strapi) => {
      // Read by the documentation plugin only (plugin extensions load from dirs.dist.extensions).
      (strapi.dirs.app as { extensions: string }).extensions = extensions;
    },
  }).catch((error) => {
    fs.rmSync(extensions, { recursive: true, force: true });
    throw error;
  });
  return {
    ...app,
    fullDocumentation: (version = '1.0.0') =>
      JSON.parse(
        fs.readFileSync(
          path.join(extensions, 'documentation/documentation', version, 'full_documentation.json'),
          'utf8'
        )
      ),
    stop: async (options) => {
      try {
        await app.stop(options);
      } finally {
        fs.rmSync(extensions, { recursive: true, force: true });
      }
    },
  };
};
