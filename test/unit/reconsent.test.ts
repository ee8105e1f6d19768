/** Re-consent derived from the notice versions (A11): domain/reconsent.ts. */
import { needsReconsent, outdatedNotices, type NoticeVersion } from '../../server/src/domain/reconsent';

const v = (id: number, language: string, version: number, material = false): NoticeVersion => ({
  id,
  language,
  version,
  material,
});

describe('outdatedNotices', () => {
  it('A11: a material version outdates every earlier version of the same language', () => {
    expect(outdatedNotices([v(1, 'de', 1), v(2, 'de', 2), v(3, 'de', 3, true), v(4, 'de', 4)])).toEqual(
      new Set([1, 2])
    );
  });

  it('A11: a non-material version (a typo fix) outdates nothing', () => {
    expect(outdatedNotices([v(1, 'de', 1), v(2, 'de', 2), v(3, 'de', 3)])).toEqual(new Set());
  });

  it('A11: a material change in one language leaves the consents given under another language alone', () => {
    expect(outdatedNotices([v(1, 'de', 1), v(2, 'de', 2, true), v(5, 'en', 1), v(6, 'en', 2)])).toEqual(new Set([1]));
  });

  it('A11: the newest material version counts, whatever came before (a material first version outdates nothing)', () => {
    expect(outdatedNotices([v(1, 'fr', 1, true)])).toEqual(new Set());
    expect(outdatedNotices([v(1, 'fr', 1), v(2, 'fr', 2, true), v(3, 'fr', 3), v(4, 'fr', 4, true)])).toEqual(
      new Set([1, 2, 3])
    );
  });
});

describe('needsReconsent', () => {
  const outdated = new Set([1, 2]);
  it('A11: a state recorded under an outdated version needs re-consent; under a current one, not', () => {
    expect(needsReconsent(1, outdated)).toBe(true);
    expect(needsReconsent('2', outdated)).toBe(true);
    expect(needsReconsent(3, outdated)).toBe(false);
  });

  it('A11: a state without a notice was never tied to a text that could change', () => {
    expect(needsReconsent(null, outdated)).toBe(false);
    expect(needsReconsent(undefined, outdated)).toBe(false);
  });
});
