import { escapeHtml, htmlList, page, postButton } from './layout';
import { pageLanguage } from '../domain/page-language';

const TEXT = {
  en: {
    title: 'Confirm your request',
    intro: 'Please confirm that you want us to contact you at this address for:',
    button: 'Confirm',
    afterConfirm:
      'Nothing is sent to you before you confirm. Once confirmed, every message we send has a link to unsubscribe.',
    doneTitle: 'Your request is confirmed',
    confirmed: 'Thank you, your request is confirmed. From now on you will hear from us about:',
    already: 'This request was already confirmed. Nothing else to do. You hear from us about:',
    next: 'You can change your mind at any time, for one topic or for all of them, in your preferences. Every message we send also has a link to unsubscribe.',
    preferences: 'Manage my preferences',
    expiredTitle: 'This link has expired',
    expired: 'The confirmation link has expired. We can send you a new one.',
    resend: 'Send me a new link',
    resent: 'If the request is still open, a new link is on its way to your mailbox.',
    invalidTitle: 'This link is not valid',
    invalid: 'The link is incomplete or was changed. Please use the link from the mail exactly as it is.',
    gone: 'This request no longer exists. Please sign up again.',
  },
  de: {
    title: 'Anfrage bestätigen',
    intro: 'Bitte bestätigen Sie, dass wir Sie unter dieser Adresse kontaktieren dürfen für:',
    button: 'Bestätigen',
    afterConfirm:
      'Vor Ihrer Bestätigung senden wir Ihnen nichts. Danach enthält jede unserer Nachrichten einen Link zum Abmelden.',
    doneTitle: 'Ihre Anfrage ist bestätigt',
    confirmed: 'Vielen Dank, Ihre Anfrage ist bestätigt. Ab jetzt erhalten Sie Nachrichten von uns über:',
    already:
      'Diese Anfrage wurde bereits bestätigt. Es ist nichts weiter zu tun. Sie erhalten Nachrichten von uns über:',
    next: 'Sie können Ihre Entscheidung jederzeit in Ihren Einstellungen ändern, für ein Thema oder für alle. Jede unserer Nachrichten enthält außerdem einen Link zum Abmelden.',
    preferences: 'Meine Einstellungen verwalten',
    expiredTitle: 'Dieser Link ist abgelaufen',
    expired: 'Der Bestätigungslink ist abgelaufen. Wir können Ihnen einen neuen senden.',
    resend: 'Neuen Link senden',
    resent: 'Wenn die Anfrage noch offen ist, ist ein neuer Link auf dem Weg in Ihr Postfach.',
    invalidTitle: 'Dieser Link ist ungültig',
    invalid:
      'Der Link ist unvollständig oder wurde verändert. Bitte verwenden Sie den Link aus der E-Mail unverändert.',
    gone: 'Diese Anfrage existiert nicht mehr. Bitte melden Sie sich erneut an.',
  },
  fr: {
    title: 'Confirmez votre demande',
    intro: 'Merci de confirmer que vous souhaitez être contacté à cette adresse pour :',
    button: 'Confirmer',
    afterConfirm:
      'Nous ne vous envoyons rien avant votre confirmation. Ensuite, chacun de nos messages contient un lien de désinscription.',
    doneTitle: 'Votre demande est confirmée',
    confirmed: 'Merci, votre demande est confirmée. Vous recevrez désormais nos messages pour :',
    already: 'Cette demande a déjà été confirmée. Il n’y a rien d’autre à faire. Vous recevez nos messages pour :',
    next: 'Vous pouvez changer d’avis à tout moment, pour un sujet ou pour tous, dans vos préférences. Chacun de nos messages contient aussi un lien de désinscription.',
    preferences: 'Gérer mes préférences',
    expiredTitle: 'Ce lien a expiré',
    expired: 'Le lien de confirmation a expiré. Nous pouvons vous en envoyer un nouveau.',
    resend: 'M’envoyer un nouveau lien',
    resent: 'Si la demande est toujours ouverte, un nouveau lien est en route vers votre boîte aux lettres.',
    invalidTitle: 'Ce lien n’est pas valide',
    invalid: 'Le lien est incomplet ou a été modifié. Veuillez utiliser le lien de l’e-mail tel quel.',
    gone: 'Cette demande n’existe plus. Veuillez vous inscrire de nouveau.',
  },
} as const;

const t = (language: string) => TEXT[pageLanguage(language)];
const list = htmlList;
const button = postButton;

/** GET: the question and a button that POSTs; opening the link changes nothing. */
export const confirmQuestionPage = (language: string, action: string, purposes: string[]) =>
  page(
    language,
    t(language).title,
    `<p>${t(language).intro}</p>${list(purposes)}${button(action, t(language).button)}<p class="small">${t(language).afterConfirm}</p>`
  );

/** After the button: the heading says it is done, and the way to change it (D5) is one link away. */
export const confirmDonePage = (
  language: string,
  status: 'confirmed' | 'already-confirmed',
  purposes: string[],
  preferencesUrl: string
) =>
  page(
    language,
    t(language).doneTitle,
    `<p>${status === 'confirmed' ? t(language).confirmed : t(language).already}</p>${list(purposes)}` +
      `<p>${t(language).next}</p><p><a href="${escapeHtml(preferencesUrl)}">${t(language).preferences}</a></p>`
  );

export const confirmExpiredPage = (language: string, resendAction: string | null) =>
  page(
    language,
    t(language).expiredTitle,
    resendAction
      ? `<p>${t(language).expired}</p>${button(resendAction, t(language).resend)}`
      : `<p>${t(language).gone}</p>`
  );

export const confirmResentPage = (language: string) =>
  page(language, t(language).title, `<p>${t(language).resent}</p>`);

export const confirmInvalidPage = (language: string) =>
  page(language, t(language).invalidTitle, `<p>${t(language).invalid}</p>`);
