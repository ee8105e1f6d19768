/**
 * The language of the hosted pages (issue 19 part 4): one rule for every public route, whether it shows
 * a mailed link's page, a refusal or the answer to a plain HTML form.
 */
import { chooseLanguage, pageLanguage } from '../../server/src/domain/page-language';

describe('pageLanguage', () => {
  it.each([
    ['de', 'de'],
    ['de-AT', 'de'],
    ['FR', 'fr'],
    ['fr-CA', 'fr'],
    ['en-GB', 'en'],
    ['es', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    [['de'], 'en'],
  ])('%p is read in %p', (locale, expected) => {
    expect(pageLanguage(locale)).toBe(expected);
  });
});

describe('chooseLanguage', () => {
  it('takes the language asked for first, then the person’s, then the browser’s', () => {
    expect(chooseLanguage({ asked: 'fr', person: 'de', browser: 'en' })).toBe('fr');
    expect(chooseLanguage({ person: 'de-AT', browser: 'fr' })).toBe('de');
    expect(chooseLanguage({ person: null, browser: 'fr' })).toBe('fr');
  });
  it('is decided by the first language given, even one without texts', () => {
    expect(chooseLanguage({ asked: 'es', person: 'de', browser: 'fr' })).toBe('en');
  });
  it('skips what is not a language and falls back to English', () => {
    expect(chooseLanguage({ asked: ['de', 'fr'], person: '', browser: false })).toBe('en');
    expect(chooseLanguage({})).toBe('en');
  });
});
