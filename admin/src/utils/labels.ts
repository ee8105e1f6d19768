import type { Audience, Channel, LegalBasis, NoticeStatus } from '../../../shared/contracts/domain';
import type { A7Element } from '../../../shared/contracts/notices';
import { useT } from './useT';

/** Human labels for the closed vocabularies, in the admin's language. */
export const useLabels = () => {
  const t = useT();
  return {
    legalBasis: {
      consent: t('basis.consent', 'Consent'),
      'legitimate-interest': t('basis.legitimate-interest', 'Legitimate interest'),
      contract: t('basis.contract', 'Contract'),
      'legal-obligation': t('basis.legal-obligation', 'Legal obligation'),
    } satisfies Record<LegalBasis, string>,
    mechanism: {
      'opt-in': t('mechanism.opt-in', 'Opt-in (asks for consent)'),
      'opt-out': t('mechanism.opt-out', 'Opt-out (people may object)'),
      none: t('mechanism.none', 'No choice (contract or legal duty)'),
    },
    channel: {
      email: t('channel.email', 'Email'),
      sms: t('channel.sms', 'SMS'),
      phone: t('channel.phone', 'Telephone'),
      postal: t('channel.postal', 'Post'),
      push: t('channel.push', 'Push'),
      web: t('channel.web', 'Web'),
      'automated-call': t('channel.automated-call', 'Automated calls'),
      fax: t('channel.fax', 'Fax'),
    } satisfies Record<Channel, string>,
    audience: {
      consumer: t('audience.consumer', 'Consumers'),
      professional: t('audience.professional', 'Professionals'),
      any: t('audience.any', 'Anyone'),
    } satisfies Record<Audience, string>,
    status: {
      draft: t('status.draft', 'Draft'),
      published: t('status.published', 'Published'),
      retired: t('status.retired', 'Retired'),
    } satisfies Record<NoticeStatus, string>,
    a7: {
      controller: t('a7.controller', 'Who the controller is (set in the plugin configuration)'),
      purpose: t('a7.purpose', 'What the data is used for (title and text)'),
      dataCategories: t('a7.dataCategories', 'Which data is processed'),
      rightToWithdraw: t('a7.rightToWithdraw', 'The right to withdraw or object (standard sentence or your own)'),
      recipients: t('a7.recipients', 'Who receives the data (an empty list says: nobody)'),
      privacyPolicyUrl: t('a7.privacyPolicyUrl', 'A link to the full privacy policy'),
      balancingTest: t('a7.balancingTest', 'The reference of the balancing test (set on the purpose)'),
    } satisfies Record<A7Element, string>,
  };
};
