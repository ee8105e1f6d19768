import { yup } from '@strapi/utils';

/** Stable machine keys (purposes, forms): lowercase words joined by hyphens, as used in URLs and form fields. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slug = () =>
  yup
    .string()
    .max(64)
    .matches(SLUG, '${path} must be lowercase letters, digits and single hyphens (e.g. "partner-offers")');

/** A BCP 47 language tag of the common forms: `de`, `fr`, `de-AT`. */
export const LOCALE = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;
export const locale = () =>
  yup.string().matches(LOCALE, '${path} must be a language code such as "en", "de" or "de-AT"');

const isUrl = (value: string, protocols: string[]) => {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

export const absoluteUrl = () =>
  yup
    .string()
    .max(2000)
    .test('absolute-url', '${path} must be an absolute http(s) URL', (v) => v == null || isUrl(v, ['http:', 'https:']));

/** An origin as browsers send it in the Origin header: scheme, host and optional port, nothing else. */
export const origin = () =>
  yup.string().test('origin', '${path} must be an origin such as "https://www.example.com" (no path)', (v) => {
    if (v == null) return true;
    try {
      const url = new URL(v);
      return ['http:', 'https:'].includes(url.protocol) && url.origin === v;
    } catch {
      return false;
    }
  });

export const uniqueItems = (label: string) => ({
  name: 'unique',
  message: `\${path} must not list the same ${label} twice`,
  test: (v: unknown[] | undefined) => !v || new Set(v).size === v.length,
});

export const noUnknownMessage = '${path} has unknown field(s): ${unknown}';
export const NO_UNKNOWN_ROOT = 'unknown field(s): ${unknown}';
