module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS', ['bench-key-1', 'bench-key-2']) },
  cron: { enabled: false },
  logger: { updates: { enabled: false }, startup: { enabled: false } },
});
