// Runs the verify command from the TypeScript sources, as bin/strapi-plugin-consent.js runs the built
// ones: same `run()`, same argv, so tests need no build (the tarball smoke test runs the real bin).
require('../../scripts/register-ts.cjs');
require('../../server/src/verify/index.ts').run();
