/**
 * `npm run build`'s last step: writes the OpenAPI 3.1 description of the public and server-to-server
 * routes (server/src/openapi/document.ts) to dist/openapi.json, the package's `./openapi.json`.
 */
const fs = require('node:fs');
const path = require('node:path');
require('./register-ts.cjs');

const root = path.resolve(__dirname, '..');
const { version } = require(path.join(root, 'package.json'));
const { openApiDocument } = require(path.join(root, 'server/src/openapi/document.ts'));
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
fs.writeFileSync(path.join(root, 'dist/openapi.json'), `${JSON.stringify(openApiDocument(version), null, 2)}\n`);
console.log(`dist/openapi.json: ${Object.keys(openApiDocument(version).paths).length} paths`);
