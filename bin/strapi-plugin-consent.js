#!/usr/bin/env node
// The package's command (`npx strapi-plugin-consent verify …`): the verifier is built into dist/verify
// from server/src/verify, with the same event-hash code the server uses.
require('../dist/verify/index.js').run();
