/**
 * bench/run.mjs points every run at a fresh database: a temporary SQLite file, or a fresh schema in
 * PostgreSQL's `test` database, dropped afterwards.
 */
module.exports = ({ env }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');
  const settings = { forceMigration: false };
  if (client === 'sqlite') {
    return {
      connection: { client: 'sqlite', connection: { filename: env('DATABASE_FILENAME') }, useNullAsDefault: true },
      settings,
    };
  }
  return {
    connection: {
      client,
      connection: {
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 5432),
        database: env('DATABASE_NAME', 'test'),
        user: env('DATABASE_USERNAME', 'postgres'),
        password: env('DATABASE_PASSWORD', ''),
        ...(env('DATABASE_SCHEMA') ? { schema: env('DATABASE_SCHEMA') } : {}),
      },
      pool: { min: 0, max: env.int('DATABASE_POOL_MAX', 10) },
    },
    settings,
  };
};
