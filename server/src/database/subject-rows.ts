/**
 * `consent_subjects` columns under their attribute names, for the hot paths that read people with knex
 * (submissions, eligibility) instead of the query engine.
 */
export const SUBJECT_COLUMNS = {
  id: 'id',
  pseudonym: 'pseudonym',
  email: 'email',
  phone: 'phone',
  externalId: 'external_id',
  emailHash: 'email_hash',
  phoneHash: 'phone_hash',
  externalIdHash: 'external_id_hash',
  language: 'language',
  audience: 'audience',
  jurisdiction: 'jurisdiction',
  child: 'child',
  childUntil: 'child_until',
  erasedAt: 'erased_at',
} as const;

/** The same for some attributes only. */
export const subjectColumns = <K extends keyof typeof SUBJECT_COLUMNS>(...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, SUBJECT_COLUMNS[k]])) as Pick<typeof SUBJECT_COLUMNS, K>;
