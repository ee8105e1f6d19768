/**
 * Whether a form offers a purpose to a visitor reading a given language, and with which notice language.
 * A purpose is offered only with a published notice the visitor can read: in the asked language, in its
 * base language (`de` for `de-AT`), else in the purpose's default language (A7: nobody is asked without
 * being informed). When none of these exists the purpose is left out, and the reason is given so that
 * the editor is told, per purpose and language, instead of seeing it silently vanish.
 */
export type NotOfferedReason =
  /** The form names a purpose that does not exist (deleted, or a typo in an API call). */
  | 'unknown-purpose'
  /** The purpose is archived: no new consent is asked for it. */
  | 'archived'
  /** No published notice in any language. */
  | 'no-published-notice'
  /** Published notices exist, but neither in this language nor in the purpose's default language. */
  | 'no-notice-in-language';

export type NoticeOffer =
  { offered: true; noticeLanguage: string; fallback: boolean } | { offered: false; reason: NotOfferedReason };

export interface OfferedPurpose {
  active: boolean;
  defaultLocale: string;
}

/** The languages tried, in order: the asked one, its base language, the purpose's default. */
export const noticeLanguages = (asked: string, defaultLocale: string): string[] =>
  [asked, asked.split('-')[0], defaultLocale].filter((l, i, all) => all.indexOf(l) === i);

export const noticeOffer = (
  purpose: OfferedPurpose | undefined,
  asked: string,
  publishedLanguages: readonly string[]
): NoticeOffer => {
  if (!purpose) return { offered: false, reason: 'unknown-purpose' };
  if (!purpose.active) return { offered: false, reason: 'archived' };
  const language = noticeLanguages(asked, purpose.defaultLocale).find((l) => publishedLanguages.includes(l));
  if (language) return { offered: true, noticeLanguage: language, fallback: language !== asked };
  return { offered: false, reason: publishedLanguages.length ? 'no-notice-in-language' : 'no-published-notice' };
};
