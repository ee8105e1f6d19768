/** Plugin configuration (spec 6): defaults are valid, and every invalid value names its key. */
import { defaultConfig } from '../../server/src/config/defaults';
import { validateConfig } from '../../server/src/config/validate';

const SECRET = 'x'.repeat(32);
const withDefaults = (over: Record<string, unknown>) => ({ ...defaultConfig, ...over });

describe('validateConfig', () => {
  it('accepts the defaults in development and test', () => {
    expect(() => validateConfig(defaultConfig, 'development')).not.toThrow();
    expect(() => validateConfig(defaultConfig, 'test')).not.toThrow();
  });

  it('requires the secret in production, naming the key and the variable', () => {
    expect(() => validateConfig(defaultConfig, 'production')).toThrow(
      /consent\.secret is required when NODE_ENV=production.*CONSENT_SECRET/
    );
    expect(() => validateConfig(withDefaults({ secret: SECRET }), 'production')).not.toThrow();
  });

  it('refuses a short secret in any environment', () => {
    expect(() => validateConfig(withDefaults({ secret: 'short' }), 'development')).toThrow(
      /consent\.secret must be at least 32/
    );
  });

  it.each([
    [{ ipStorage: 'partial' }, /consent\.ipStorage must be one of/],
    [{ jurisdiction: 'us' }, /consent\.jurisdiction must be one of/],
    [{ publicUrl: 'example.com' }, /consent\.publicUrl must be an absolute http\(s\) URL/],
    [{ publicUrl: 'ftp://example.com' }, /consent\.publicUrl must be an absolute http\(s\) URL/],
    [{ rateLimit: { max: 0, windowSeconds: 60 } }, /consent\.rateLimit must be false or/],
    [{ rateLimit: true }, /consent\.rateLimit must be false or/],
    [{ rateLimit: { max: 5, windowSeconds: 60, burst: 2 } }, /consent\.rateLimit must be false or/],
    [
      { doubleOptIn: { ...defaultConfig.doubleOptIn, tokenTtlSeconds: 0 } },
      /consent\.doubleOptIn\.tokenTtlSeconds must be greater than or equal to 1/,
    ],
    [
      { doubleOptIn: { ...defaultConfig.doubleOptIn, pendingTtlDays: '14' } },
      /consent\.doubleOptIn\.pendingTtlDays must be a `number`/,
    ],
    [
      { controller: { name: 'A', address: 'B', contact: 'C', phone: 'D' } },
      /consent\.controller has unknown key\(s\): phone/,
    ],
    [{ ipstorage: 'none' }, /consent config has unknown key\(s\): ipstorage/],
    [{ http: { bodyTimeoutMs: 50 } }, /consent\.http\.bodyTimeoutMs must be greater than or equal to 100/],
    [{ http: { bodyTimeoutMs: 600_000 } }, /consent\.http\.bodyTimeoutMs must be less than or equal to 300000/],
    [{ http: { bodyTimeoutMs: 1000, headersTimeoutMs: 1000 } }, /consent\.http has unknown key\(s\): headersTimeoutMs/],
    [{ tokenCache: { ttlMs: 1000, scope: 'plugin' } }, /consent\.tokenCache\.ttlMs must be less than or equal to 999/],
    [{ tokenCache: { ttlMs: 500, scope: 'admin' } }, /consent\.tokenCache\.scope must be one of/],
    [
      { http: { bodyTimeoutMs: 1000, drainTimeoutMs: -1 } },
      /consent\.http\.drainTimeoutMs must be greater than or equal to 0/,
    ],
    [
      { http: { bodyTimeoutMs: 1000, drainTimeoutMs: 600_000 } },
      /consent\.http\.drainTimeoutMs must be less than or equal to 300000/,
    ],
    [
      { email: { ...defaultConfig.email, templates: { confirmation: { en: { subject: 'Hi' } } } } },
      /consent\.email\.templates must map/,
    ],
    [
      { email: { templates: { confirmation: { en: { subject: 'Confirm', text: 'Click the link' } } } } },
      /consent\.email\.templates\.confirmation templates must contain \{\{link\}\}/,
    ],
    [
      // I4: the re-permission mail's link is the only way to answer it.
      { email: { templates: { repermission: { fr: { subject: 'Toujours là ?', text: 'Répondez-nous' } } } } },
      /consent\.email\.templates\.repermission templates must contain \{\{link\}\}/,
    ],
    [
      // D4, D10: the re-permission mail is marketing, sent by the messages service with its opt-out link.
      { email: { templates: { repermission: { de: { subject: 'Noch da?', text: 'Bitte hier: {{link}}' } } } } },
      /consent\.email\.templates\.repermission templates must contain \{\{unsubscribeUrl\}\} in text/,
    ],
    [
      {
        email: {
          templates: {
            repermission: {
              de: { subject: 'Noch da?', text: '{{link}} {{unsubscribeUrl}}', html: '<a href="{{link}}">Ja</a>' },
            },
          },
        },
      },
      /consent\.email\.templates\.repermission templates must contain \{\{unsubscribeUrl\}\}/,
    ],
  ])('refuses %j', (over, message) => {
    expect(() => validateConfig(withDefaults(over), 'development')).toThrow(message);
  });

  it('accepts rateLimit: false and template overrides', () => {
    expect(() =>
      validateConfig(
        withDefaults({
          rateLimit: false,
          email: {
            ...defaultConfig.email,
            templates: {
              confirmation: { de: { subject: 'Bitte bestätigen', text: 'Bitte hier bestätigen: {{link}}' } },
              repermission: { de: { subject: 'Noch da?', text: 'Weiter: {{link}}\nAbbestellen: {{unsubscribeUrl}}' } },
            },
          },
        }),
        'development'
      )
    ).not.toThrow();
  });

  it('accepts the token cache turned off, or over the whole content API', () => {
    for (const tokenCache of [
      { ttlMs: 0, scope: 'plugin' },
      { ttlMs: 999, scope: 'content-api' },
    ])
      expect(() => validateConfig(withDefaults({ tokenCache }), 'development')).not.toThrow();
  });

  describe('messages (D4)', () => {
    const messages = (over: Record<string, unknown>) =>
      withDefaults({ messages: { ...defaultConfig.messages, ...over } });

    it('defaults: 1,000 listed recipients per call, 256 kB templates, batches of 200, claims stale after 10 minutes, a worker on every instance', () => {
      expect(defaultConfig.messages).toEqual({
        maxRecipientsPerCall: 1000,
        maxTemplateBytes: 262144,
        batchSize: 200,
        claimTimeoutSeconds: 600,
        worker: true,
      });
    });

    it.each([
      [{ maxRecipientsPerCall: 0 }, /consent\.messages\.maxRecipientsPerCall must be greater than or equal to 1/],
      [{ maxRecipientsPerCall: '10' }, /consent\.messages\.maxRecipientsPerCall must be a `number`/],
      [{ maxTemplateBytes: 100 }, /consent\.messages\.maxTemplateBytes must be greater than or equal to 1024/],
      [{ batchSize: 5000 }, /consent\.messages\.batchSize must be less than or equal to 1000/],
      [{ claimTimeoutSeconds: 5 }, /consent\.messages\.claimTimeoutSeconds must be greater than or equal to 30/],
      [{ worker: 'yes' }, /consent\.messages\.worker must be a `boolean`/],
      [{ pollSeconds: 5 }, /consent\.messages has unknown key\(s\): pollSeconds/],
    ])('refuses %j', (over, message) => {
      expect(() => validateConfig(messages(over), 'development')).toThrow(message);
    });
  });

  describe('retention (I3, I4)', () => {
    const retention = (over: Record<string, unknown>) =>
      withDefaults({ retention: { ...defaultConfig.retention, ...over } });

    it('defaults: prospects 36 months, French subscribers too after one re-permission request 30 days ahead (I4), suppression entries at least 36 months and kept forever, proof 5 years after a consent ended (I5)', () => {
      expect(defaultConfig.retention).toEqual({
        prospectMonths: 36,
        subscriberJurisdictions: ['fr'],
        repermissionDays: 30,
        suppressionMinMonths: 36,
        suppressionMaxMonths: null,
        importBatchDays: 30,
        proofYears: 5,
        messageAddressDays: 30,
        webhookDeliveredDays: 7,
        webhookFailedDays: 90,
      });
    });

    it.each([
      [{ prospectMonths: 0 }, /consent\.retention\.prospectMonths must be greater than or equal to 1/],
      [{ prospectMonths: 1.5 }, /consent\.retention\.prospectMonths must be an integer/],
      [{ suppressionMinMonths: '36' }, /consent\.retention\.suppressionMinMonths must be a `number`/],
      [
        { suppressionMaxMonths: 24 },
        /consent\.retention\.suppressionMaxMonths must be null or at least retention\.suppressionMinMonths \(36\)/,
      ],
      [{ suppressionMaxMonths: undefined }, /consent\.retention\.suppressionMaxMonths must be defined/],
      [{ keepForever: true }, /consent\.retention has unknown key\(s\): keepForever/],
      [{ subscriberJurisdictions: ['us'] }, /consent\.retention\.subscriberJurisdictions\[0\] must be one of/],
      [
        { importBatchDays: 0 },
        /consent\.retention\.importBatchDays must be at least 1 \(days an import reference is remembered for retries\)/,
      ],
      [{ importBatchDays: 1.5 }, /consent\.retention\.importBatchDays must be a whole number of days/],
      [{ importBatchDays: '30' }, /consent\.retention\.importBatchDays must be a `number`/],
      [{ importBatchDays: undefined }, /consent\.retention\.importBatchDays is a required field/],
      [{ repermissionDays: 3 }, /consent\.retention\.repermissionDays must be greater than or equal to 7/],
      [{ repermissionDays: 400 }, /consent\.retention\.repermissionDays must be less than or equal to 365/],
      [{ repermissionDays: '30' }, /consent\.retention\.repermissionDays must be a `number`/],
      [
        { messageAddressDays: 0 },
        /consent\.retention\.messageAddressDays must be at least 1 \(days a finished send keeps its addresses\) or null/,
      ],
      [{ messageAddressDays: undefined }, /consent\.retention\.messageAddressDays must be defined/],
      [{ webhookDeliveredDays: 0 }, /consent\.retention\.webhookDeliveredDays must be at least 1/],
      [
        { webhookFailedDays: 3 },
        /consent\.retention\.webhookFailedDays must be null or at least retention\.webhookDeliveredDays \(7\)/,
      ],
    ])('refuses %j', (over, message) => {
      expect(() => validateConfig(retention(over), 'development')).toThrow(message);
    });

    it('accepts a maximum at or above the minimum', () => {
      expect(() => validateConfig(retention({ suppressionMaxMonths: 36 }), 'development')).not.toThrow();
      expect(() => validateConfig(retention({ suppressionMaxMonths: 120 }), 'development')).not.toThrow();
      expect(() =>
        validateConfig(retention({ suppressionMinMonths: 48, suppressionMaxMonths: 48 }), 'development')
      ).not.toThrow();
    });

    it.each(['fr', 'de', 'eu'])(
      'I3: with jurisdiction %s, suppression entries are kept at least 36 months (a shorter minimum is refused)',
      (jurisdiction) => {
        for (const over of [{ suppressionMinMonths: 12 }, { suppressionMinMonths: 24, suppressionMaxMonths: 24 }]) {
          expect(() => validateConfig({ ...retention(over), jurisdiction }, 'development')).toThrow(
            /consent\.retention\.suppressionMinMonths must be at least 36 \(an objection is kept 3 years/
          );
        }
        expect(() =>
          validateConfig({ ...retention({ suppressionMinMonths: 36 }), jurisdiction }, 'development')
        ).not.toThrow();
      }
    );
  });

  it('reports every problem at once', () => {
    expect(() => validateConfig(withDefaults({ ipStorage: 'x', jurisdiction: 'y' }), 'development')).toThrow(
      /ipStorage.*; .*jurisdiction|jurisdiction.*; .*ipStorage/
    );
  });
});
