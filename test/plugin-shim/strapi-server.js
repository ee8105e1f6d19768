// Loads the plugin's TypeScript sources through Jest's transformer, so tests run without a build.
// (The packed tarball is tested separately by scripts/tarball-smoke.mjs.)
module.exports = require('../../server/src').default;
