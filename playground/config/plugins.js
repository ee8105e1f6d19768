const path = require('node:path');

module.exports = ({ env }) => ({
  consent: {
    // CONSENT_ENABLED=false boots the app without the plugin (the disable test); its tables survive only
    // with `forceMigration: false` (config/database.js, docs/operations.md).
    enabled: env.bool('CONSENT_ENABLED', true),
    // The repository root is the plugin package (built into dist/). The test harness points this at a
    // shim that loads the TypeScript sources instead.
    resolve: env('CONSENT_PLUGIN_PATH', path.resolve(__dirname, '..', '..')),
    config: {
      controller: {
        name: 'Example Shop SAS',
        address: '1 rue de l’Exemple, 75001 Paris, France',
        contact: 'privacy@example.com',
      },
      secret: env('CONSENT_SECRET'),
      publicUrl: env('PUBLIC_URL', 'http://localhost:1337'),
      jurisdiction: 'fr',
      email: { from: 'Example Shop <newsletter@example.com>' },
      // The hosted pages (confirmation, unsubscribe, preference centre …) in the shop's name and colour.
      pages: { siteName: 'Example Shop', accentColor: '#0b6e4f' },
    },
  },
  // Mail goes to the playground's own mailbox (src/mailbox.js): read it at /demo/mails.
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: '127.0.0.1',
        port: Number(env('PLAYGROUND_SMTP_PORT', '1025')),
        secure: false,
        ignoreTLS: true,
      },
      settings: { defaultFrom: 'Example Shop <newsletter@example.com>' },
    },
  },
  // Swagger UI at /documentation, with the consent routes from the plugin's own OpenAPI description. Off unless
  // asked for (PLAYGROUND_DOCUMENTATION=true): it writes its generated files into src/extensions/documentation
  // (ignored by git) at each start, which the tests booting in parallel must not share.
  documentation: { enabled: env.bool('PLAYGROUND_DOCUMENTATION', false) },
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'playground-users-permissions-jwt-secret') },
  },
});
