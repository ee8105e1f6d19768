const { factories } = require('@strapi/strapi');

// Public like the consent submission route, so neither pays for authentication.
module.exports = factories.createCoreRouter('api::bench-entry.bench-entry', {
  only: ['create'],
  config: { create: { auth: false } },
});
