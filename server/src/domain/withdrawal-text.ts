import { mechanismOf, type LegalBasis } from '../../../shared/contracts/domain';

/**
 * The standard sentence on the right to withdraw (consent, Art. 7(3)) or to object (legitimate interest,
 * Art. 21), added to a notice whose editor did not write one. Languages without a standard sentence need
 * the editor's own text before the notice can be published (A7).
 */
const SENTENCES: Record<string, { withdraw: string; object: string }> = {
  en: {
    withdraw:
      'You can withdraw your consent at any time, free of charge, with the link in every message or in the preference centre. Withdrawing does not affect the lawfulness of processing before it.',
    object:
      'You can object to this processing at any time, free of charge and without giving reasons, with the link in every message or in the preference centre.',
  },
  de: {
    withdraw:
      'Sie können Ihre Einwilligung jederzeit kostenlos widerrufen, über den Link in jeder Nachricht oder im Präferenzzentrum. Der Widerruf berührt nicht die Rechtmäßigkeit der bis dahin erfolgten Verarbeitung.',
    object:
      'Sie können dieser Verarbeitung jederzeit kostenlos und ohne Angabe von Gründen widersprechen, über den Link in jeder Nachricht oder im Präferenzzentrum.',
  },
  fr: {
    withdraw:
      'Vous pouvez retirer votre consentement à tout moment, gratuitement, via le lien présent dans chaque message ou dans le centre de préférences. Le retrait ne remet pas en cause la licéité du traitement effectué avant celui-ci.',
    object:
      'Vous pouvez vous opposer à ce traitement à tout moment, gratuitement et sans avoir à vous justifier, via le lien présent dans chaque message ou dans le centre de préférences.',
  },
};

/** Whether a purpose on this basis gives a right the notice must state (withdrawal or objection). */
// `directMarketing`: a contract purpose that sells can be objected to (domain/direct-marketing.ts).
export const needsWithdrawalText = (basis: LegalBasis, directMarketing = false) =>
  mechanismOf(basis, directMarketing) !== 'none';

export const standardWithdrawalText = (language: string, basis: LegalBasis, directMarketing = false): string | null => {
  const mechanism = mechanismOf(basis, directMarketing);
  if (mechanism === 'none') return null;
  const sentences = SENTENCES[language] ?? SENTENCES[language.split('-')[0]];
  if (!sentences) return null;
  return mechanism === 'opt-in' ? sentences.withdraw : sentences.object;
};

/** The sentence a person is shown: the editor's own, else the standard one, else none. */
export const withdrawalTextFor = (
  notice: { language: string; withdrawalText?: string | null },
  basis: LegalBasis,
  directMarketing = false
): string | null => {
  if (!needsWithdrawalText(basis, directMarketing)) return null;
  const own = notice.withdrawalText?.trim();
  return own || standardWithdrawalText(notice.language, basis, directMarketing);
};
