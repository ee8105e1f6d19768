/** The rules of webhook delivery (D6, D7): when a failed POST is tried again, and how it is signed. */
import { createHmac } from 'node:crypto';
import { defaultConfig } from '../../server/src/config/defaults';
import { validateConfig } from '../../server/src/config/validate';
import { afterFailure, retryDelayMs, retrySpanMs } from '../../server/src/domain/delivery-backoff';
import { signatureHeader, verifySignature } from '../../server/src/domain/webhook-signature';

const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };
const now = new Date('2026-12-06T10:00:00.000Z');

describe('delivery backoff', () => {
  it('D7: the wait doubles after each failure from the base delay, capped at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, policy))).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('D7: a failure before the last attempt schedules the next one; the last gives the delivery up', () => {
    expect(afterFailure(1, now, policy)).toEqual({ status: 'pending', at: new Date(now.getTime() + 1000) });
    expect(afterFailure(4, now, policy)).toEqual({ status: 'pending', at: new Date(now.getTime() + 5000) });
    expect(afterFailure(5, now, policy)).toEqual({ status: 'failed' });
    expect(afterFailure(1, now, { ...policy, maxAttempts: 1 })).toEqual({ status: 'failed' });
  });

  it('D6: the default retries end well inside 48 hours, leaving an admin time to retry a failure', () => {
    const span = retrySpanMs(defaultConfig.webhooks);
    expect(span).toBeGreaterThan(6 * 3600_000);
    expect(span).toBeLessThan(24 * 3600_000);
  });
});

describe('delivery signature', () => {
  const secret = 'receiver-signing-secret-0123456789abcdef';
  const body = '{"event":"consent.withdrawn","consent":{"purpose":"newsletter"}}';

  it('D7: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">, as docs/back-ends.md tells receivers', () => {
    const header = signatureHeader(secret, body, now);
    const t = now.getTime() / 1000;
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
    expect(verifySignature(header, secret, body, now)).toBe(true);
  });

  it('D7: a changed body, another secret, an old timestamp or a malformed header does not verify', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(header, secret, body.replace('withdrawn', 'granted'), now)).toBe(false);
    expect(verifySignature(header, `${secret}x`, body, now)).toBe(false);
    expect(verifySignature(header, secret, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifySignature(header.replace(/t=\d+/, `t=${now.getTime() / 1000 + 1}`), secret, body, now)).toBe(false);
    for (const bad of [undefined, '', 'v1=abc', `t=x,v1=${'0'.repeat(64)}`, `t=${now.getTime() / 1000},v1=zz`]) {
      expect(verifySignature(bad, secret, body, now)).toBe(false);
    }
  });

  it('D7: several v1 values (a secret being rotated) verify when one matches', () => {
    const header = signatureHeader(secret, body, now);
    const other = signatureHeader('old-secret-old-secret-old-secret-00', body, now).split(',')[1];
    expect(verifySignature(`${header.split(',')[0]},${other},${header.split(',')[1]}`, secret, body, now)).toBe(true);
  });
});

describe('webhooks configuration', () => {
  const withWebhooks = (over: Record<string, unknown>) => ({
    ...defaultConfig,
    webhooks: { ...defaultConfig.webhooks, ...over },
  });

  it('accepts the defaults and a long signing secret', () => {
    expect(() => validateConfig(withWebhooks({ signingSecret: 's'.repeat(32) }), 'development')).not.toThrow();
  });

  it.each([
    [{ signingSecret: 'short' }, /consent\.webhooks\.signingSecret must be at least 32 characters/],
    [{ maxAttempts: 0 }, /consent\.webhooks\.maxAttempts must be greater than or equal to 1/],
    [{ maxAttempts: 51 }, /consent\.webhooks\.maxAttempts must be less than or equal to 50/],
    [{ baseDelayMs: 1.5 }, /consent\.webhooks\.baseDelayMs must be an integer/],
    [
      { baseDelayMs: 10_000, maxDelayMs: 5_000 },
      /consent\.webhooks\.maxDelayMs must be at least webhooks\.baseDelayMs/,
    ],
    [{ pollIntervalMs: 1 }, /consent\.webhooks\.pollIntervalMs must be greater than or equal to 10/],
    [{ timeoutMs: 120_000 }, /consent\.webhooks\.timeoutMs must be less than or equal to 60000/],
    [{ retries: 3 }, /consent\.webhooks has unknown key\(s\): retries/],
  ])('refuses %j at boot, naming the key', (over, message) => {
    expect(() => validateConfig(withWebhooks(over), 'development')).toThrow(message);
  });
});
