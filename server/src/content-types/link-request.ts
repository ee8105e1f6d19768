/**
 * The columns every request answered by a mailed link has (double opt-in B1–B4, parental consent G2/G4;
 * services/link-requests.ts `LinkRequestRow` reads them): who and what it is for, then when it was asked,
 * mailed, answered and when it expires. A type's own columns stand between the two groups, where they have
 * always been, so that the tables keep their column order.
 */
export const linkRequestAttributes = {
  request: {
    tokenHash: { type: 'string', required: true, maxLength: 64 },
    subject: { type: 'string', required: true, maxLength: 64 },
    receiptId: { type: 'string', maxLength: 64 },
    formKey: { type: 'string', maxLength: 64 },
    // [{ purpose, noticeId, noticeVersion, noticeHash, noticeLanguage }], with `channels` on parental consents
    purposes: { type: 'json', required: true },
    language: { type: 'string', maxLength: 16 },
  },
  times: {
    requestedAt: { type: 'datetime', required: true },
    mailSentAt: { type: 'datetime' },
    confirmedAt: { type: 'datetime' },
    expiresAt: { type: 'datetime', required: true },
  },
} as const;
