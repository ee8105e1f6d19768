const path = require('node:path');

module.exports = ({ env }) => ({
  consent: {
    enabled: true,
    // The built plugin (dist/), as an app installing it from npm would load it.
    resolve: path.resolve(__dirname, '..', '..', '..'),
    config: {
      controller: { name: 'Bench Shop SAS', address: '1 rue du Banc, 75001 Paris', contact: 'privacy@bench.example' },
      secret: env('CONSENT_SECRET', 'bench-secret-bench-secret-bench-secret-0123456789'),
      publicUrl: 'https://bench.example',
      jurisdiction: 'fr',
      // Every request of the load generator comes from 127.0.0.1: the per-client and per-address limits
      // would answer 429 within a second. The benchmark says so in its output.
      rateLimit: false,
      email: { from: 'Bench Shop <newsletter@bench.example>' },
    },
  },
  email: {
    config: {
      provider: 'nodemailer',
      // Accepted and sent nowhere (the bench form has no double opt-in, so nothing is mailed anyway).
      providerOptions: { jsonTransport: true },
      settings: { defaultFrom: 'Bench Shop <newsletter@bench.example>' },
    },
  },
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'bench-users-permissions-jwt-secret') },
  },
});
