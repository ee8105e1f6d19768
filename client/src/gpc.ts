/**
 * Global Privacy Control, client side (F1): only `navigator.globalPrivacyControl === true` counts.
 * Browsers with GPC on also send `Sec-GPC: 1` with every request, which is what the server records.
 */
export const readGpc = (nav: unknown = typeof navigator === 'undefined' ? undefined : navigator): boolean =>
  (nav as { globalPrivacyControl?: unknown } | undefined)?.globalPrivacyControl === true;
