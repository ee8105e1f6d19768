/**
 * Secrets that rotate (issue 20 part 2): the ring's rules, tokens under a previous secret (E2), the keyed
 * hashes a rehash rewrites (I2) and the configuration refused at boot.
 */
import { defaultConfig } from '../../server/src/config/defaults';
import { validateConfig } from '../../server/src/config/validate';
import { identifierHash, identifierKey } from '../../server/src/domain/identifiers';
import { ringProblem, ringSecrets, staleHashes } from '../../server/src/domain/key-ring';
import { signToken, tokenKey, verifyTokenWithRing } from '../../server/src/domain/tokens';

const A = 'secret-a-secret-a-secret-a-secret-a-0001';
const B = 'secret-b-secret-b-secret-b-secret-b-0002';
const C = 'secret-c-secret-c-secret-c-secret-c-0003';
const payload = { use: 'unsubscribe' as const, sub: 'p-1', purposes: ['newsletter'], channel: 'email', nonce: 'n' };

describe('the key ring', () => {
  it('tries the current secret first, then the previous ones in their order', () => {
    expect(ringSecrets({ current: B, previous: [A, C] })).toEqual([B, A, C]);
  });

  it('refuses a previous secret equal to the current one, or given twice, naming its position', () => {
    expect(ringProblem(B, [A, B])).toEqual({ index: 1, reason: expect.stringMatching(/is the current secret/) });
    expect(ringProblem(B, [A, C, A])).toEqual({ index: 2, reason: expect.stringMatching(/appears twice/) });
    expect(ringProblem(undefined, [A, A])).toEqual({ index: 1, reason: expect.stringMatching(/appears twice/) });
    expect(ringProblem(B, [A, C])).toBeNull();
    expect(ringProblem(B, [])).toBeNull();
  });
});

describe('E2: link tokens across a rotation', () => {
  const ring = [tokenKey(B), tokenKey(A)];

  it('a token signed with a previous secret still verifies, one signed with the current one too', () => {
    expect(verifyTokenWithRing(ring, signToken(tokenKey(A), payload), 'unsubscribe')).toEqual({
      ok: true,
      payload,
      expired: false,
    });
    expect(verifyTokenWithRing(ring, signToken(tokenKey(B), payload), 'unsubscribe')).toEqual({
      ok: true,
      payload,
      expired: false,
    });
  });

  it('a token of a secret outside the ring, or changed, is refused as a bad signature', () => {
    expect(verifyTokenWithRing(ring, signToken(tokenKey(C), payload), 'unsubscribe')).toEqual({
      ok: false,
      reason: 'signature',
    });
    const [, signature] = signToken(tokenKey(A), payload).split('.');
    const changed = Buffer.from(JSON.stringify({ ...payload, sub: 'p-2' })).toString('base64url');
    expect(verifyTokenWithRing(ring, `${changed}.${signature}`, 'unsubscribe')).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('the verdict of the key that signed it stands: another use is refused, not tried further', () => {
    expect(verifyTokenWithRing(ring, signToken(tokenKey(A), payload), 'confirm')).toEqual({ ok: false, reason: 'use' });
    expect(verifyTokenWithRing(ring, 'not-a-token', 'unsubscribe')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('an expired token under a previous secret is reported expired, like under the current one', () => {
    const token = signToken(tokenKey(A), { ...payload, exp: 1000 });
    expect(verifyTokenWithRing(ring, token, 'unsubscribe', 2_000_000)).toMatchObject({ ok: true, expired: true });
  });
});

describe('I2: keyed hashes a rehash rewrites', () => {
  const old = identifierHash(identifierKey(A), 'email', 'ada@example.com');
  const now = identifierHash(identifierKey(B), 'email', 'ada@example.com');

  it('each secret keys its own hashes', () => {
    expect(old).not.toBe(now);
  });

  it('only the columns whose stored hash differs from the current one are rewritten', () => {
    expect(staleHashes({ emailHash: old, phoneHash: 'p' }, { emailHash: now, phoneHash: 'p' })).toEqual({
      emailHash: now,
    });
    expect(staleHashes({ emailHash: now }, { emailHash: now })).toEqual({});
    // Nothing held in clear (an erased person): nothing to compute, nothing written.
    expect(staleHashes({ emailHash: null }, {})).toEqual({});
  });
});

describe('configuration of previousSecrets', () => {
  const withRing = (over: Record<string, unknown>) => ({ ...defaultConfig, secret: B, ...over });

  it('accepts a ring of distinct secrets of 32+ characters', () => {
    expect(() => validateConfig(withRing({ previousSecrets: [A, C] }), 'production')).not.toThrow();
    expect(() => validateConfig(withRing({ previousSecrets: [] }), 'production')).not.toThrow();
  });

  it('refuses at boot a short one, a duplicate, the current secret again, or not a list, naming the key', () => {
    expect(() => validateConfig(withRing({ previousSecrets: ['short'] }), 'production')).toThrow(
      /consent\.previousSecrets\[0\] must be at least 32 characters/
    );
    expect(() => validateConfig(withRing({ previousSecrets: [A, A] }), 'production')).toThrow(
      /consent\.previousSecrets\[1\] appears twice in previousSecrets/
    );
    expect(() => validateConfig(withRing({ previousSecrets: [B] }), 'production')).toThrow(
      /consent\.previousSecrets\[0\] is the current secret/
    );
    expect(() => validateConfig(withRing({ previousSecrets: A }), 'production')).toThrow(/consent\.previousSecrets/);
  });
});
