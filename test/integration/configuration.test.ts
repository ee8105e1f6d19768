/**
 * Configuration at start-up (spec 6): a bad value stops Strapi with a message naming the key; the secret
 * is required in production; in development a generated secret is persisted (same value after a restart)
 * and a warning is logged; the retention jobs follow `server.cron.enabled`, with a warning when it is off.
 */
import type { Core } from '@strapi/strapi';
import { createTestDatabase } from '../harness/database';
import { bootStrapi } from '../harness/strapi';

const boot = bootStrapi;

describe('invalid configuration fails start-up', () => {
  it.each([
    [{ ipStorage: 'partial' }, /Invalid configuration for plugin "consent": consent\.ipStorage must be one of/],
    [{ jurisdiction: 'mars' }, /consent\.jurisdiction must be one of/],
    [{ doubleOptIn: { tokenTtlSeconds: -5 } }, /consent\.doubleOptIn\.tokenTtlSeconds/],
    [{ unknownOption: true }, /unknown key\(s\): unknownOption/],
    // I5: the proof period is whole years (1 to 30) or null.
    [{ retention: { proofYears: 0 } }, /consent\.retention\.proofYears must be at least 1/],
    // G1: the age-of-consent table, each entry a country code with an age Art. 8(1) allows.
    [{ children: { thresholds: { germany: 16 } } }, /consent\.children\.thresholds\.germany is not a country code/],
    [
      { children: { thresholds: { DE: 12 } } },
      /consent\.children\.thresholds\.DE must be a whole age between 13 and 16/,
    ],
    [
      { children: { thresholds: { FR: '15' } } },
      /consent\.children\.thresholds\.FR must be a whole age between 13 and 16/,
    ],
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

describe('B4, I3, I4, I7, N7: the retention jobs follow server.cron.enabled', () => {
  const JOBS = [
    'consent:double-opt-in-expiry',
    'consent:consent-expiry',
    'consent:re-permission',
    'consent:prospect-purge',
    'consent:suppression-retention',
    'consent:import-batch-retention',
    'consent:message-retention',
    'consent:webhook-delivery-retention',
    'consent:identifier-rehash',
  ];
  const bootCapturing = async (cron: 'true' | 'false') => {
    const warnings: string[] = [];
    const capture = (strapi: Core.Strapi) => {
      const warn = strapi.log.warn.bind(strapi.log);
      strapi.log.warn = ((message: string, ...rest: unknown[]) => {
        warnings.push(String(message));
        return warn(message, ...rest);
      }) as typeof strapi.log.warn;
    };
    const app = await boot({ env: { CRON_ENABLED: cron }, beforeLoad: capture });
    const names = app.strapi.cron.jobs.map((j) => (j as { name?: string }).name ?? '');
    return { app, names, ours: warnings.filter((w) => w.includes('server.cron.enabled')) };
  };

  it('off: no job is scheduled, and one warning at boot names every job and how to turn cron on', async () => {
    const { app, names, ours } = await bootCapturing('false');
    try {
      expect(names.filter((n) => n.startsWith('consent:'))).toEqual([]);
      expect(ours).toHaveLength(1);
      for (const job of JOBS) expect(ours[0]).toContain(job);
      expect(ours[0]).toContain('cron: { enabled: true }');
    } finally {
      await app.stop();
    }
  });

  it('on: every job is scheduled, nothing is warned, and the jobs stop with the instance', async () => {
    const { app, names, ours } = await bootCapturing('true');
    try {
      expect(names).toEqual(expect.arrayContaining(JOBS));
      expect(ours).toEqual([]);
    } finally {
      await app.stop();
    }
    // No job fires later into a dropped database.
    expect(app.strapi.cron.jobs).toEqual([]);
  });
});
