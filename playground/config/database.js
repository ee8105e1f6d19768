const path = require('node:path');

/**
 * SQLite by default (an embedded file, nothing to install). The test harness and `.ci/run` switch to
 * PostgreSQL or MariaDB/MySQL with DATABASE_CLIENT and point every run at a fresh schema or database.
 */
module.exports = ({ env }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');
  const settings = {
    // The recommended production setting: with `true` (Strapi's default), booting once without the
    // plugin would DROP the consent ledger.
    forceMigration: env.bool('DATABASE_FORCE_MIGRATION', false),
  };

  if (client === 'sqlite') {
    return {
      connection: {
        client: 'sqlite',
        connection: { filename: env('DATABASE_FILENAME', path.join(__dirname, '..', '.tmp', 'playground.db')) },
        useNullAsDefault: true,
      },
      settings,
    };
  }

  const defaults = client === 'postgres' ? { port: 5432, user: 'postgres' } : { port: 3306, user: 'root' };
  return {
    connection: {
      client,
      connection: {
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', defaults.port),
        database: env('DATABASE_NAME', 'test'),
        user: env('DATABASE_USERNAME', defaults.user),
        password: env('DATABASE_PASSWORD', ''),
        ...(client === 'postgres' && env('DATABASE_SCHEMA') ? { schema: env('DATABASE_SCHEMA') } : {}),
      },
      pool: { min: 0, max: env.int('DATABASE_POOL_MAX', 10) },
      // On MySQL/MariaDB knex warns at every DDL statement inside Strapi's schema-sync transaction
      // ("implicitly committed"); that is expected there and drowns real warnings.
      log: {
        warn: (message) => {
          if (!/implicitly committed/.test(String(message))) console.warn(message);
        },
      },
    },
    settings,
  };
};
