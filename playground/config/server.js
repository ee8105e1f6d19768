module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS', ['playground-key-1', 'playground-key-2']) },
  // Tests boot and destroy Strapi many times; core never stops cron on destroy (strapi/strapi#27469).
  cron: { enabled: env.bool('CRON_ENABLED', true) },
  logger: { updates: { enabled: false } },
});
