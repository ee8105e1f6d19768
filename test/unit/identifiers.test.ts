/**
 * Identifiers are normalised before they are hashed or stored, so one person typing their address twice in
 * different ways is one subject and a lookup finds them; look-alike characters are refused; lookups go by a
 * keyed hash (HMAC), never plain SHA-256.
 */
import { createHash } from 'node:crypto';
import {
  defaultPhoneCountry,
  identifierHash,
  identifierKey,
  normaliseEmail,
  normaliseExternalId,
  normalisePhone,
} from '../../server/src/domain/identifiers';

const ok = (value: string) => ({ ok: true, value });

describe('normaliseEmail', () => {
  it.each([
    ['alice@example.com', 'alice@example.com'],
    ['  Alice@Example.COM ', 'alice@example.com'],
    ['\tBOB@EXAMPLE.COM\n', 'bob@example.com'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
    // Internationalised domains become punycode, whatever the case or Unicode normal form typed.
    ['Max@Müller.de', 'max@xn--mller-kva.de'],
    ['MAX@MÜLLER.DE', 'max@xn--mller-kva.de'],
    ['max@mu\u0308ller.de', 'max@xn--mller-kva.de'],
    ['max@xn--mller-kva.de', 'max@xn--mller-kva.de'],
    ['a@例え.jp', 'a@xn--r8jz45g.jp'],
  ])('%j → %s', (input, expected) => {
    expect(normaliseEmail(input)).toEqual(ok(expected));
  });

  it.each([
    ['zero-width space', 'ali\u200bce@example.com'],
    ['zero-width joiner', 'alice@exam\u200dple.com'],
    ['right-to-left override', 'alice@\u202eexample.com'],
    ['left-to-right mark', '\u200ealice@example.com'],
    ['NUL', 'alice\u0000@example.com'],
    ['tab inside', 'ali\tce@example.com'],
    ['line separator', 'alice@example.com\u2028x'],
    ['byte order mark inside', 'alice@\ufeffexample.com'],
    ['soft hyphen', 'ali\u00adce@example.com'],
  ])('refuses %s', (_what, input) => {
    expect(normaliseEmail(input)).toEqual({ ok: false, reason: 'contains control or invisible characters' });
  });

  it.each([
    ['no @', 'alice.example.com'],
    ['nothing before @', '@example.com'],
    ['no top-level domain', 'alice@localhost'],
    ['two @', 'alice@@example.com'],
    ['double dot', 'ali..ce@example.com'],
    ['leading dot', '.alice@example.com'],
    ['space inside', 'ali ce@example.com'],
    ['non-ASCII local part', 'jörg@example.com'],
    ['domain label starting with a hyphen', 'alice@-example.com'],
    ['underscore in the domain', 'alice@exa_mple.com'],
    ['empty', ''],
    ['spaces only', '   '],
    ['local part over 64 characters', `${'a'.repeat(65)}@example.com`],
  ])('refuses %s', (_what, input) => {
    expect(normaliseEmail(input).ok).toBe(false);
  });

  it('refuses more than 254 characters', () => {
    expect(normaliseEmail(`a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(70)}.com`)).toEqual({
      ok: false,
      reason: 'is longer than 254 characters',
    });
  });
});

describe('normalisePhone', () => {
  it.each([
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['0612345678', 'FR', '+33612345678'],
    ['(06) 12-34.56/78', 'FR', '+33612345678'],
    ['00 33 6 12 34 56 78', 'FR', '+33612345678'],
    ['+33 6 12 34 56 78', 'FR', '+33612345678'],
    ['+33612345678', 'DE', '+33612345678'],
    ['+33 6 12 34 56 78', undefined, '+33612345678'],
    ['0170 1234567', 'DE', '+491701234567'],
    [' +49 170 1234567 ', undefined, '+491701234567'],
  ] as const)('%j in %s → %s', (input, country, expected) => {
    expect(normalisePhone(input, country)).toEqual(ok(expected));
  });

  it('a national number without a country needs the international prefix', () => {
    expect(normalisePhone('06 12 34 56 78')).toEqual({ ok: false, reason: 'needs the international prefix (+…)' });
  });

  it.each([
    ['too short', '+33 1', undefined],
    ['a French number cannot start 0 after the prefix', '+33 0 12 34 56 78', undefined],
    ['too short in FR', '06 12', 'FR'],
    ['too long', '+33 6 12 34 56 78 90 12', undefined],
  ] as const)('refuses an invalid number: %s', (_what, input, country) => {
    expect(normalisePhone(input, country)).toEqual({ ok: false, reason: 'is not a valid phone number' });
  });

  it.each([
    ['letters', 'call me'],
    ['a vanity number', '+33 6 CALL ME'],
    ['an extension marker', '+33612345678;ext=1'],
    ['over 32 characters', `+33 6 12 34 56 78${' '.repeat(20)}0`],
  ])('refuses what is not a phone number: %s', (_what, input) => {
    expect(normalisePhone(input, 'FR')).toEqual({ ok: false, reason: 'is not a phone number' });
  });

  it('refuses invisible characters', () => {
    expect(normalisePhone('+33\u200b612345678', 'FR')).toEqual({
      ok: false,
      reason: 'contains control or invisible characters',
    });
  });

  it('reads national numbers in the site jurisdiction; the EU has none', () => {
    expect(defaultPhoneCountry('fr')).toBe('FR');
    expect(defaultPhoneCountry('de')).toBe('DE');
    expect(defaultPhoneCountry('eu')).toBeUndefined();
  });
});

describe('normaliseExternalId', () => {
  it('is trimmed and kept as given (case matters in an account id)', () => {
    expect(normaliseExternalId('  User-42 ')).toEqual(ok('User-42'));
  });
  it('is NFC-normalised', () => {
    expect(normaliseExternalId('jo\u0308rg')).toEqual(ok('jörg'));
  });
  it.each([
    ['empty', '  '],
    ['over 128 characters', 'x'.repeat(129)],
    ['invisible characters', 'user\u200b42'],
  ])('refuses %s', (_what, input) => {
    expect(normaliseExternalId(input).ok).toBe(false);
  });
});

describe('identifierHash (HMAC-SHA-256 keyed from the plugin secret)', () => {
  const key = identifierKey('secret-one-secret-one-secret-one-0123');
  const otherKey = identifierKey('secret-two-secret-two-secret-two-0123');

  it('is deterministic: 64 hex characters, the same for the same input', () => {
    const h = identifierHash(key, 'email', 'alice@example.com');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(identifierHash(identifierKey('secret-one-secret-one-secret-one-0123'), 'email', 'alice@example.com')).toBe(
      h
    );
  });

  it('differs by identifier type: the same text as email and as external id never collide', () => {
    expect(identifierHash(key, 'email', 'alice@example.com')).not.toBe(
      identifierHash(key, 'externalId', 'alice@example.com')
    );
    expect(identifierHash(key, 'phone', '+33612345678')).not.toBe(identifierHash(key, 'externalId', '+33612345678'));
  });

  it('differs by key', () => {
    expect(identifierHash(key, 'email', 'alice@example.com')).not.toBe(
      identifierHash(otherKey, 'email', 'alice@example.com')
    );
  });

  it('is not a plain SHA-256 a dictionary could reverse', () => {
    const h = identifierHash(key, 'email', 'alice@example.com');
    for (const text of ['alice@example.com', 'email:alice@example.com']) {
      expect(h).not.toBe(createHash('sha256').update(text).digest('hex'));
    }
  });

  it('the key is 32 bytes derived from the secret, not the secret itself', () => {
    expect(key).toHaveLength(32);
    expect(key.equals(otherKey)).toBe(false);
    expect(key.toString('utf8')).not.toContain('secret-one');
  });

  it('two spellings of one address hash the same once normalised', () => {
    const a = normaliseEmail(' Max@Müller.de ');
    const b = normaliseEmail('max@xn--mller-kva.de');
    expect(a.ok && b.ok && identifierHash(key, 'email', a.value) === identifierHash(key, 'email', b.value)).toBe(true);
  });
});
