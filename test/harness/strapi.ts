import path from 'node:path';
import { createStrapi, type Core } from '@strapi/strapi';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from './database';

/**
 * Boots the playground app (test/../playground, JavaScript config) in-process with the plugin's
 * TypeScript sources (test/plugin-shim), on a throwaway database, and tears it down again.
 * One instance per test file: boot is the expensive part (a few seconds).
 */
export const APP_DIR = path.resolve(__dirname, '../../playground');
export const PLUGIN_SHIM = path.resolve(__dirname, '../plugin-shim');

export const RELAXED_RATE_LIMIT = { max: 100000, windowSeconds: 60, perIdentifier: 100000 };

export interface BootOptions {
  /** Deep-merged over the playground's `consent` plugin configuration (NODE_ENV=test boots only). */
  pluginConfig?: Record<string, unknown>;
  /** Extra environment for this boot (restored afterwards). */
  env?: Record<string, string | undefined>;
  /** Reuse a database (e.g. a second instance on the same data); otherwise a fresh one is made. */
  database?: TestDatabase;
  /** Load the playground's demo content. Off by default so tests own their fixtures. */
  seed?: boolean;
  /** Runs after the instance is created and before it loads (e.g. to spy on its logger). */
  beforeLoad?: (strapi: Core.Strapi) => void;
}

export interface TestStrapi {
  strapi: Core.Strapi;
  database: TestDatabase;
  http: () => ReturnType<typeof request>;
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

const applyEnv = (vars: Record<string, string | undefined>) => {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => applyEnv(previous);
};

/** Strapi's destroy() removes every process listener; Jest needs its own back. */
const preservingProcessListeners = async (fn: () => Promise<void>) => {
  const saved = process.eventNames().map((e) => [e, process.rawListeners(e)] as const);
  try {
    await fn();
  } finally {
    for (const [event, handlers] of saved) {
      for (const h of handlers) {
        if (!process.rawListeners(event).includes(h)) process.on(event as NodeJS.Signals, h as () => void);
      }
    }
  }
};

/** The environment a test instance boots with (also used for instances in child processes). */
export const strapiEnv = (database: TestDatabase, options: BootOptions = {}): Record<string, string | undefined> => ({
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: '0',
  CRON_ENABLED: 'false',
  STRAPI_TELEMETRY_DISABLED: 'true',
  CONSENT_PLUGIN_PATH: PLUGIN_SHIM,
  PLAYGROUND_SEED: options.seed ? 'true' : 'false',
  CONSENT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  // Tests post many submissions from 127.0.0.1; the rate-limit tests set their own, low limits.
  CONSENT_TEST_PLUGIN_CONFIG: JSON.stringify({ rateLimit: RELAXED_RATE_LIMIT, ...options.pluginConfig }),
  ...database.env,
  ...options.env,
});

export const bootStrapi = async (options: BootOptions = {}): Promise<TestStrapi> => {
  const database = options.database ?? (await createTestDatabase());
  const restoreEnv = applyEnv(strapiEnv(database, options));

  const instance = createStrapi({ appDir: APP_DIR, distDir: APP_DIR, autoReload: false });
  instance.log.level = process.env.CONSENT_TEST_LOG ?? 'error';

  options.beforeLoad?.(instance);

  const stop = async ({ keepDatabase = false } = {}) => {
    try {
      await preservingProcessListeners(() => instance.destroy());
    } finally {
      restoreEnv();
      if (!keepDatabase && !options.database) await database.drop();
    }
  };

  try {
    await instance.load();
    instance.server.mount();
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  return { strapi: instance, database, http: () => request(instance.server.httpServer), stop };
};
