import { createHmac, hkdfSync } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { IdentifierType, Jurisdiction } from '../../../shared/contracts/domain';

/**
 * Identifiers are normalised before they are hashed or stored, so that one person typing their address
 * twice in different ways is one subject, and a lookup (eligibility, withdrawal, erasure) finds them.
 */
export type NormaliseResult = { ok: true; value: string } | { ok: false; reason: string };

// Control, format (zero-width, bidi overrides), surrogate and private-use characters: never part of an
// identifier, and a classic way to make two identifiers look equal while hashing differently.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;
// The usual practical subset of RFC 5321 for the local part, ASCII only (an SMTPUTF8 local part is rare
// and the same person may not be able to receive it everywhere).
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Trimmed and lowercased; an internationalised domain becomes its ASCII (punycode) form. */
export const normaliseEmail = (input: string): NormaliseResult => {
  const trimmed = input.trim();
  if (INVISIBLE.test(trimmed)) return { ok: false, reason: 'contains control or invisible characters' };
  if (trimmed.length > 254) return { ok: false, reason: 'is longer than 254 characters' };
  const at = trimmed.lastIndexOf('@');
  if (at < 1) return { ok: false, reason: 'is not an email address' };
  const local = trimmed.slice(0, at).toLowerCase();
  const domain = domainToASCII(
    trimmed
      .slice(at + 1)
      .normalize('NFC')
      .toLowerCase()
  );
  if (local.length > 64 || !LOCAL_PART.test(local) || !domain || !DOMAIN.test(domain)) {
    return { ok: false, reason: 'is not an email address' };
  }
  return { ok: true, value: `${local}@${domain}` };
};

/** The country a national number (without +) is read in: the site's jurisdiction; the EU has none. */
export const defaultPhoneCountry = (jurisdiction: Jurisdiction): CountryCode | undefined =>
  jurisdiction === 'fr' ? 'FR' : jurisdiction === 'de' ? 'DE' : undefined;

/** E.164 (`+33612345678`), using libphonenumber's metadata to reject numbers no country assigns. */
export const normalisePhone = (input: string, country?: CountryCode): NormaliseResult => {
  const trimmed = input.trim();
  if (INVISIBLE.test(trimmed)) return { ok: false, reason: 'contains control or invisible characters' };
  if (trimmed.length > 32 || !/^[+0-9 ().\-/]+$/.test(trimmed)) return { ok: false, reason: 'is not a phone number' };
  const parsed = parsePhoneNumberFromString(trimmed, country);
  if (!parsed || !parsed.isValid()) {
    return {
      ok: false,
      reason:
        trimmed.startsWith('+') || country ? 'is not a valid phone number' : 'needs the international prefix (+…)',
    };
  }
  return { ok: true, value: parsed.number };
};

/** An account id in the site's own system: printable, at most 128 characters, kept as given (trimmed). */
export const normaliseExternalId = (input: string): NormaliseResult => {
  const trimmed = input.trim();
  if (INVISIBLE.test(trimmed)) return { ok: false, reason: 'contains control or invisible characters' };
  if (!trimmed || trimmed.length > 128) return { ok: false, reason: 'must be 1 to 128 characters' };
  return { ok: true, value: trimmed.normalize('NFC') };
};

/**
 * The HMAC key for identifiers, derived from the plugin secret so it is never the signing key itself.
 * A keyed hash, not plain SHA-256: a dictionary of email addresses would reverse the latter (Spartoo).
 */
export const identifierKey = (secret: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'strapi-plugin-consent', 'identifier-hmac-v1', 32));

/** HMAC-SHA-256 of `type:value`, hex: the same address as email and as external id never collide. */
export const identifierHash = (key: Buffer, type: IdentifierType, normalised: string) =>
  createHmac('sha256', key).update(`${type}:${normalised}`).digest('hex');
