/**
 * Test runs only (NODE_ENV=test): the integration harness passes per-boot overrides of the consent
 * plugin configuration as JSON in CONSENT_TEST_PLUGIN_CONFIG. Strapi merges this file over
 * config/plugins.js, and reads both from disk at plugin load, so an in-memory override is not possible.
 */
module.exports = ({ env }) => ({
  consent: { config: JSON.parse(env('CONSENT_TEST_PLUGIN_CONFIG', '{}')) },
});
