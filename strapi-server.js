'use strict';

// Strapi reads the `./strapi-server` export of package.json; tools and local-plugin setups
// (`resolve: './src/plugins/consent'`) that look for this file at the root get the same built entry.
module.exports = require('./dist/server/index.js');
