import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A throwaway database per Strapi boot, on the engine named by CONSENT_TEST_DB (sqlite, the default;
 * postgres; mariadb or mysql). PostgreSQL gets a fresh schema and MariaDB a fresh database in the shared
 * `test` database server, so runs never see each other's rows; both are dropped afterwards.
 */
export type TestDbEngine = 'sqlite' | 'postgres' | 'mysql';

export interface TestDatabase {
  engine: TestDbEngine;
  /** Environment for playground/config/database.js. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const testDbEngine = (): TestDbEngine => {
  const name = (process.env.CONSENT_TEST_DB ?? 'sqlite').toLowerCase();
  if (name === 'sqlite') return 'sqlite';
  if (name === 'postgres' || name === 'postgresql' || name === 'pg') return 'postgres';
  if (name === 'mariadb' || name === 'mysql') return 'mysql';
  throw new Error(`CONSENT_TEST_DB must be sqlite, postgres or mariadb (got "${name}")`);
};

const server = {
  host: process.env.CONSENT_TEST_DB_HOST ?? '127.0.0.1',
  postgres: {
    port: Number(process.env.CONSENT_TEST_PG_PORT ?? 5432),
    user: process.env.CONSENT_TEST_PG_USER ?? 'postgres',
    database: 'test',
  },
  mysql: {
    port: Number(process.env.CONSENT_TEST_MYSQL_PORT ?? 3306),
    user: process.env.CONSENT_TEST_MYSQL_USER ?? 'root',
    database: 'test',
  },
};

const uniqueName = () => `consent_t${process.pid}_${randomBytes(4).toString('hex')}`;

const withPostgres = async <T>(fn: (client: import('pg').Client) => Promise<T>): Promise<T> => {
  const { Client } = await import('pg');
  const client = new Client({ host: server.host, ...server.postgres });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

const withMysql = async <T>(fn: (conn: import('mysql2/promise').Connection) => Promise<T>): Promise<T> => {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({ host: server.host, ...server.mysql, password: '' });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
};

export const createTestDatabase = async (engine: TestDbEngine = testDbEngine()): Promise<TestDatabase> => {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-test-'));
    return {
      engine,
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'test.db') },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }

  const name = uniqueName();
  if (engine === 'postgres') {
    await withPostgres((c) => c.query(`CREATE SCHEMA "${name}"`));
    return {
      engine,
      env: {
        DATABASE_CLIENT: 'postgres',
        DATABASE_HOST: server.host,
        DATABASE_PORT: String(server.postgres.port),
        DATABASE_NAME: server.postgres.database,
        DATABASE_USERNAME: server.postgres.user,
        DATABASE_PASSWORD: '',
        DATABASE_SCHEMA: name,
      },
      drop: () => withPostgres(async (c) => void (await c.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`))),
    };
  }

  await withMysql((c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  return {
    engine,
    env: {
      DATABASE_CLIENT: 'mysql',
      DATABASE_HOST: server.host,
      DATABASE_PORT: String(server.mysql.port),
      DATABASE_NAME: name,
      DATABASE_USERNAME: server.mysql.user,
      DATABASE_PASSWORD: '',
    },
    drop: () => withMysql(async (c) => void (await c.query(`DROP DATABASE IF EXISTS \`${name}\``))),
  };
};
