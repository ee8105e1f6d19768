/**
 * Test runs only (NODE_ENV=test): the integration harness passes per-boot overrides of the consent
 * plugin configuration as JSON in CONSENT_TEST_PLUGIN_CONFIG (and of the documentation plugin's, enabled by
 * PLAYGROUND_DOCUMENTATION, in CONSENT_TEST_DOCUMENTATION_CONFIG). Strapi merges this file over
 * config/plugins.js, and reads both from disk at plugin load, so an in-memory override is not possible.
 *
 * Mail goes through Strapi's email plugin with the nodemailer provider: to the SMTP listener a test
 * started (CONSENT_TEST_SMTP_PORT), else into nodemailer's JSON transport (accepted, sent nowhere).
 */
module.exports = ({ env }) => ({
  consent: { config: JSON.parse(env('CONSENT_TEST_PLUGIN_CONFIG', '{}')) },
  documentation: { config: JSON.parse(env('CONSENT_TEST_DOCUMENTATION_CONFIG', '{}')) },
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: env('CONSENT_TEST_SMTP_PORT')
        ? { host: '127.0.0.1', port: env.int('CONSENT_TEST_SMTP_PORT'), secure: false, ignoreTLS: true }
        : { jsonTransport: true },
      settings: { defaultFrom: 'Example Shop <newsletter@example.com>' },
    },
  },
});
