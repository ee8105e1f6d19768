/**
 * Signed link tokens (E2; B3): hard to forge, bound to their use, person and purposes, checked before
 * anything in them is read.
 */
import { signToken, tokenHash, tokenKey, verifyToken } from '../../server/src/domain/tokens';

const key = tokenKey('a-secret-of-at-least-thirty-two-characters');
const payload = { use: 'unsubscribe' as const, sub: 'p-1', purposes: ['newsletter'], channel: 'email', nonce: 'n' };

describe('verifyToken', () => {
  it('accepts its own token and gives the payload back', () => {
    expect(verifyToken(key, signToken(key, payload), 'unsubscribe')).toEqual({ ok: true, payload, expired: false });
  });

  it('refuses a changed payload, a changed signature, another key, another use', () => {
    const token = signToken(key, payload);
    const [body, signature] = token.split('.');
    const changed = Buffer.from(JSON.stringify({ ...payload, purposes: ['partners'] })).toString('base64url');
    expect(verifyToken(key, `${changed}.${signature}`, 'unsubscribe')).toEqual({ ok: false, reason: 'signature' });
    expect(verifyToken(key, `${body}.${'A'.repeat(43)}`, 'unsubscribe')).toEqual({ ok: false, reason: 'signature' });
    expect(verifyToken(tokenKey('another-secret-of-at-least-thirty-two-chars'), token, 'unsubscribe')).toMatchObject({
      ok: false,
    });
    expect(verifyToken(key, token, 'confirm')).toEqual({ ok: false, reason: 'use' });
  });

  it.each(['', 'abc', 'a.b', 'a'.repeat(3000), 'x.y.z', 'é.é'])('refuses the malformed %j', (token) => {
    expect(verifyToken(key, token, 'unsubscribe')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports expiry (only after the signature is checked)', () => {
    const now = Date.UTC(2026, 0, 1);
    const token = signToken(key, { ...payload, use: 'confirm', exp: now / 1000 });
    expect(verifyToken(key, token, 'confirm', now - 1)).toMatchObject({ ok: true, expired: false });
    expect(verifyToken(key, token, 'confirm', now)).toMatchObject({ ok: true, expired: true });
  });

  it('stores only a SHA-256 of a token', () => {
    expect(tokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
