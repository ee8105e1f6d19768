const { factories } = require('@strapi/strapi');

module.exports = factories.createCoreService('api::bench-entry.bench-entry');
