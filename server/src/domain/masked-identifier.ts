import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * What a page reached by a link shows of the person's address (D5): enough for them to recognise whose
 * preferences these are, not enough to learn an address from a forwarded or leaked link. A link is a
 * bearer token; the page must not hand out more than the person already knows.
 */
const stars = (n: number) => '*'.repeat(Math.max(1, n));

/** `ada.lovelace@example.com` → `a***@example.com`: the first character, then the domain. */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at <= 0) return stars(3);
  return `${email[0]}***${email.slice(at)}`;
};

/**
 * `+33612345678` → `+33 6** ** ** 78`: the country code, the first digit (mobile or landline) and the last
 * two, the rest hidden in pairs as numbers are read aloud.
 */
export const maskPhone = (phone: string): string => {
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed) return `${phone.slice(0, 3)}${stars(3)}`;
  const national = String(parsed.nationalNumber);
  if (national.length < 4) return `+${parsed.countryCallingCode} ${stars(national.length)}`;
  // Paired from the right, so an odd digit joins the first one as in `+1 4* ** ** ** 23`.
  const middle = national.slice(1, -2);
  const odd = middle.length % 2;
  const pairs = [...(odd ? [middle.slice(0, 1)] : []), ...(middle.slice(odd).match(/.{2}/g) ?? [])];
  const [firstPair = '', ...rest] = pairs.map((p) => stars(p.length));
  return [`+${parsed.countryCallingCode}`, `${national[0]}${firstPair}`, ...rest, national.slice(-2)].join(' ');
};

/** The identifiers a preference page shows, email first; none when the person is known by an external id only. */
export const maskedIdentifiers = (identifiers: { email?: string | null; phone?: string | null }): string[] => [
  ...(identifiers.email ? [maskEmail(identifiers.email)] : []),
  ...(identifiers.phone ? [maskPhone(identifiers.phone)] : []),
];
