import { htmlList, page, postButton } from './layout';
import { pageLanguage } from '../domain/page-language';

/**
 * The page a parent's link opens (G2, G4): who asks, for what, and a button. Opening it changes nothing
 * (mail scanners follow links); the button is the consent of the holder of parental responsibility.
 */
const TEXT = {
  en: {
    title: 'Consent for your child',
    intro:
      'Your child asked to be contacted about the topics below. Because of their age, the consent of a holder of parental responsibility is needed.',
    button: 'I consent',
    after:
      'Press the button only if you hold parental responsibility for the child. If you do not agree, close this page: the child will not be contacted.',
    doneTitle: 'Thank you, your consent is recorded',
    confirmed: 'Your consent is recorded. Your child will hear from us about:',
    already: 'Your consent was already recorded. Nothing else to do. Your child hears from us about:',
    next: 'Every message has a link to unsubscribe, and the consent can be withdrawn at any time.',
    expiredTitle: 'This link has expired',
    expired: 'This link has expired. Your child can ask again from the form.',
    invalidTitle: 'This link is not valid',
    invalid: 'The link is incomplete or was changed. Please use the link from the mail exactly as it is.',
  },
  de: {
    title: 'Einwilligung für Ihr Kind',
    intro:
      'Ihr Kind möchte zu den folgenden Themen kontaktiert werden. Wegen seines Alters ist die Einwilligung eines Trägers der elterlichen Verantwortung nötig.',
    button: 'Ich willige ein',
    after:
      'Klicken Sie nur, wenn Sie die elterliche Verantwortung für das Kind tragen. Wenn Sie nicht einverstanden sind, schließen Sie diese Seite: Das Kind wird nicht kontaktiert.',
    doneTitle: 'Danke, Ihre Einwilligung ist erfasst',
    confirmed: 'Ihre Einwilligung ist erfasst. Ihr Kind erhält Nachrichten von uns über:',
    already:
      'Ihre Einwilligung wurde bereits erfasst. Es ist nichts weiter zu tun. Ihr Kind erhält Nachrichten von uns über:',
    next: 'Jede Nachricht enthält einen Link zum Abmelden, und die Einwilligung kann jederzeit widerrufen werden.',
    expiredTitle: 'Dieser Link ist abgelaufen',
    expired: 'Dieser Link ist abgelaufen. Ihr Kind kann über das Formular erneut fragen.',
    invalidTitle: 'Dieser Link ist ungültig',
    invalid:
      'Der Link ist unvollständig oder wurde verändert. Bitte verwenden Sie den Link aus der E-Mail unverändert.',
  },
  fr: {
    title: 'Consentement pour votre enfant',
    intro:
      'Votre enfant a demandé à être contacté pour les sujets ci-dessous. En raison de son âge, le consentement d’un titulaire de l’autorité parentale est nécessaire.',
    button: 'Je consens',
    after:
      'N’appuyez que si vous êtes titulaire de l’autorité parentale sur l’enfant. Si vous n’êtes pas d’accord, fermez cette page : l’enfant ne sera pas contacté.',
    doneTitle: 'Merci, votre consentement est enregistré',
    confirmed: 'Votre consentement est enregistré. Votre enfant recevra nos messages pour :',
    already:
      'Votre consentement a déjà été enregistré. Il n’y a rien d’autre à faire. Votre enfant reçoit nos messages pour :',
    next: 'Chaque message contient un lien de désinscription, et le consentement peut être retiré à tout moment.',
    expiredTitle: 'Ce lien a expiré',
    expired: 'Ce lien a expiré. Votre enfant peut refaire la demande depuis le formulaire.',
    invalidTitle: 'Ce lien n’est pas valide',
    invalid: 'Le lien est incomplet ou a été modifié. Veuillez utiliser le lien de l’e-mail tel quel.',
  },
} as const;

const t = (language: string) => TEXT[pageLanguage(language)];

export const parentalQuestionPage = (language: string, action: string, purposes: string[]) =>
  page(
    language,
    t(language).title,
    `<p>${t(language).intro}</p>${htmlList(purposes)}${postButton(action, t(language).button)}<p class="small">${t(language).after}</p>`
  );

export const parentalDonePage = (language: string, status: 'confirmed' | 'already-confirmed', purposes: string[]) =>
  page(
    language,
    t(language).doneTitle,
    `<p>${status === 'confirmed' ? t(language).confirmed : t(language).already}</p>${htmlList(purposes)}<p>${t(language).next}</p>`
  );

export const parentalExpiredPage = (language: string) =>
  page(language, t(language).expiredTitle, `<p>${t(language).expired}</p>`);

export const parentalInvalidPage = (language: string) =>
  page(language, t(language).invalidTitle, `<p>${t(language).invalid}</p>`);
