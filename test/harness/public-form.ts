import type { FormDefinition, PublicPurpose } from '../../client/src';

/**
 * Form definitions as `GET /api/consent/forms/:key` answers them, for the client and React tests that
 * run without a server.
 */
export const publicPurpose = (
  key: string,
  mechanism: PublicPurpose['mechanism'],
  notice: Partial<PublicPurpose['notice']> = {},
  over: Partial<PublicPurpose> = {}
): PublicPurpose => {
  const version = notice.version ?? 1;
  return {
    key,
    name: key,
    description: '',
    legalBasis: mechanism === 'opt-in' ? 'consent' : mechanism === 'opt-out' ? 'legitimate-interest' : 'contract',
    mechanism,
    channels: ['email'],
    minimumAge: null,
    defaultChecked: false,
    localeFallback: false,
    ...over,
    notice: {
      id: version,
      version,
      hash: 'a'.repeat(64),
      locale: 'en',
      title: `${key} v${version}`,
      body: `The ${key} text, version ${version}.`,
      withdrawal: 'You can withdraw at any time.',
      dataCategories: ['email address'],
      recipients: [],
      privacyPolicyUrl: 'https://example.com/privacy',
      ...notice,
    },
  };
};

export const formDefinition = (purposes: PublicPurpose[]): FormDefinition => ({
  key: 'demo',
  name: 'Demo',
  locale: 'en',
  doubleOptIn: false,
  privacyPolicyUrl: null,
  controller: { name: 'Example', address: 'Somewhere', contact: 'dpo@example.com' },
  purposes,
});
