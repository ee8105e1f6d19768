/** One published or retired version of a purpose's notice, as re-consent needs to know it. */
export interface NoticeVersion {
  id: number;
  language: string;
  version: number;
  material: boolean;
}

/**
 * A11: the versions a consent given under them no longer covers, because a later version of the same
 * text (same purpose, same language) was published as a material change. Derived on every read instead
 * of stored on `consent_states`, so the states stay a replay of the ledger (docs/ledger.md): publishing a
 * notice writes no state. A non-material version (a typo fix) outdates nothing, and a material version in
 * one language leaves the consents given under another language's text alone.
 * `versions` are one purpose's non-draft versions; drafts were never shown to anyone.
 */
export const outdatedNotices = (versions: readonly NoticeVersion[]): Set<number> => {
  const newestMaterial = new Map<string, number>();
  for (const v of versions) {
    if (v.material && v.version > (newestMaterial.get(v.language) ?? 0)) newestMaterial.set(v.language, v.version);
  }
  const outdated = new Set<number>();
  for (const v of versions) {
    if (v.version < (newestMaterial.get(v.language) ?? 0)) outdated.add(v.id);
  }
  return outdated;
};

/**
 * A11: whether the consent state recorded under this notice needs renewing. A state without a notice
 * (an import without one, a legitimate-interest default) was never tied to a text that could change.
 */
export const needsReconsent = (noticeId: number | string | null | undefined, outdated: ReadonlySet<number>): boolean =>
  noticeId != null && outdated.has(Number(noticeId));
