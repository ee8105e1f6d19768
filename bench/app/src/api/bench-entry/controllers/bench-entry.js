const { factories } = require('@strapi/strapi');

module.exports = factories.createCoreController('api::bench-entry.bench-entry');
