/**
 * What the benchmark and the soak run share about their database and their server processes: a fresh
 * PostgreSQL schema (127.0.0.1:5432, database `test`, user postgres, trust auth) dropped afterwards, and a
 * process's memory read from /proc.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';

const pgConfig = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

const withPgClient = async (fn) => {
  const { default: pg } = await import('pg');
  const client = new pg.Client(pgConfig);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

/** A new schema named `<prefix>_<random>`: the environment bench/app's database config reads, and its drop. */
export const createPgSchema = async (prefix) => {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  await withPgClient((c) => c.query(`CREATE SCHEMA "${schema}"`));
  return {
    schema,
    env: {
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: pgConfig.host,
      DATABASE_PORT: String(pgConfig.port),
      DATABASE_NAME: pgConfig.database,
      DATABASE_USERNAME: pgConfig.user,
      DATABASE_PASSWORD: '',
      DATABASE_SCHEMA: schema,
    },
    drop: () => withPgClient((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  };
};

/** A field of /proc/<pid>/status in bytes (`VmRSS`: resident now, `VmHWM`: its peak). */
export const procStatus = (pid, field) => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};
