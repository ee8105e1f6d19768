module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'bench-admin-jwt-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'bench-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'bench-transfer-token-salt') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'bench-encryption-key-32-chars!!!!!') },
  // The benchmark measures the content API; an admin build would only slow the boot.
  serveAdminPanel: false,
  flags: { nps: false, promoteEE: false },
});
