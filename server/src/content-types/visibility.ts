/**
 * Every consent type is hidden from the Content Manager and the Content-Type Builder. Editors work in the
 * plugin's own views, whose services enforce the rules of spec 3 (a published notice never changes, the
 * ledger is append-only, a used purpose key never changes); the generic editors would bypass them.
 */
export const hiddenFromEditors = {
  'content-manager': { visible: false },
  'content-type-builder': { visible: false },
  i18n: { localized: false },
} as const;
