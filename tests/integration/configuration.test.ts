/**
 * Configuration at start-up (spec 6): a bad value stops Strapi with a message naming the key; the secret
 * is required in production; in development a generated secret is persisted (same value after a restart)
 * and a warning is logged.
 */
import { createTestDatabase } from '../harness/database';
import { bootStrapi } from '../harness/strapi';

const boot = bootStrapi;

describe('invalid configuration fails start-up', () => {
  it.each([
    [{ ipStorage: 'partial' }, /Invalid configuration for plugin "consent": consent\.ipStorage must be one of/],
    [{ jurisdiction: 'mars' }, /consent\.jurisdiction must be one of/],
    [{ doubleOptIn: { tokenTtlSeconds: -5 } }, /consent\.doubleOptIn\.tokenTtlSeconds/],
    [{ unknownOption: true }, /unknown key\(s\): unknownOption/],
  ])('%j', async (pluginConfig, message) => {
    await expect(boot({ pluginConfig })).rejects.toThrow(message);
  });

  it('NODE_ENV=production without a secret', async () => {
    await expect(boot({ env: { NODE_ENV: 'production', CONSENT_SECRET: undefined } })).rejects.toThrow(
      /consent\.secret is required when NODE_ENV=production/
    );
  });
});

it('NODE_ENV=production with a secret starts', async () => {
  const app = await boot({ env: { NODE_ENV: 'production' } });
  try {
    expect(app.strapi.plugin('consent').service('secrets').source()).toBe('config');
  } finally {
    await app.stop();
  }
});

it('development without a secret: generates one, persists it, warns', async () => {
  const database = await createTestDatabase();
  const warnings: string[] = [];
  const spy = (s: { log: { warn: (m: string) => void } }) => {
    const original = s.log.warn.bind(s.log);
    s.log.warn = (m: string) => {
      warnings.push(m);
      original(m);
    };
  };
  const env = { NODE_ENV: 'development', CONSENT_SECRET: undefined };
  try {
    let app = await boot({ database, env, beforeLoad: spy as never });
    const secrets = app.strapi.plugin('consent').service('secrets');
    const first = secrets.get();
    expect(secrets.source()).toBe('generated');
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(warnings.some((w) => /no `secret` configured/.test(w))).toBe(true);
    await app.stop({ keepDatabase: true });

    app = await boot({ database, env });
    expect(app.strapi.plugin('consent').service('secrets').get()).toBe(first);
    await app.stop({ keepDatabase: true });
  } finally {
    await database.drop();
  }
});
