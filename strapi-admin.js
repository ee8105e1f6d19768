'use strict';

// The `./strapi-admin` export of package.json, for tools and local-plugin setups that look for this
// file at the root. Built by `npm run build`.
module.exports = require('./dist/admin/index.js');
