/**
 * Whether a form offers a purpose in a language, and why not (domain/notice-offer.ts): the visitor reads
 * a published notice in their language, its base language or the purpose's default, or is not asked (A7).
 */
import { noticeOffer } from '../../server/src/domain/notice-offer';

const purpose = { active: true, defaultLocale: 'en' };

describe('noticeOffer (A7)', () => {
  it('A7: offers the notice in the asked language', () => {
    expect(noticeOffer(purpose, 'fr', ['en', 'fr'])).toEqual({ offered: true, noticeLanguage: 'fr', fallback: false });
  });

  it('A7: falls back to the base language, then to the purpose’s default language', () => {
    expect(noticeOffer(purpose, 'de-AT', ['de', 'en'])).toEqual({
      offered: true,
      noticeLanguage: 'de',
      fallback: true,
    });
    expect(noticeOffer(purpose, 'fr', ['en'])).toEqual({ offered: true, noticeLanguage: 'en', fallback: true });
  });

  it('A7: a notice in a third language is not shown: neither asked nor default', () => {
    expect(noticeOffer({ active: true, defaultLocale: 'de' }, 'fr', ['en'])).toEqual({
      offered: false,
      reason: 'no-notice-in-language',
    });
  });

  it('A7: without any published notice, the reason says so', () => {
    expect(noticeOffer(purpose, 'en', [])).toEqual({ offered: false, reason: 'no-published-notice' });
  });

  it('A7: an archived or unknown purpose is not offered, whatever its notices', () => {
    expect(noticeOffer({ ...purpose, active: false }, 'en', ['en'])).toEqual({ offered: false, reason: 'archived' });
    expect(noticeOffer(undefined, 'en', ['en'])).toEqual({ offered: false, reason: 'unknown-purpose' });
  });
});
