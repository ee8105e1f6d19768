/**
 * The language a hosted page (a mailed link's page, a plain HTML form's answer) is written in. The plugin
 * has page texts in three languages; anything else is read in English, the texts' source language.
 */
export const PAGE_LANGUAGES = ['en', 'de', 'fr'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** The supported base of a language tag (`de` for `de-AT`), else English. */
export const pageLanguage = (locale: unknown): PageLanguage => {
  const base = typeof locale === 'string' ? locale.slice(0, 2).toLowerCase() : '';
  return (PAGE_LANGUAGES as readonly string[]).includes(base) ? (base as PageLanguage) : 'en';
};

/**
 * Which language a page answers in, from what the request tells, strongest first: the `locale` the
 * visitor asked for (a query parameter, a form's field), the language the person chose when they gave
 * their consent (a link that names them), then their browser's preference among the supported ones.
 * The first one given decides, even when it is a language without texts: someone who asked for Spanish
 * reads the English page rather than their browser's second choice.
 */
export const chooseLanguage = (given: {
  asked?: unknown;
  person?: string | null;
  browser?: string | false | null;
}): PageLanguage => {
  for (const candidate of [given.asked, given.person, given.browser]) {
    if (typeof candidate === 'string' && candidate !== '') return pageLanguage(candidate);
  }
  return 'en';
};
