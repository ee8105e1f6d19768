import { htmlList, page, postButton } from './layout';
import { pageLanguage } from '../domain/page-language';

/** The pages of the re-permission link (I4): a question with one button, then what was done. */
const TEXT = {
  en: {
    title: 'Do you still want to hear from us?',
    intro: 'You agreed to hear from us about:',
    question:
      'If you want to go on, press the button. Without an answer, we will stop and delete your contact details.',
    button: 'Keep me subscribed',
    doneTitle: 'You stay subscribed',
    renewed: 'Thank you: you will go on hearing from us about:',
    already: 'You already answered: you will go on hearing from us about:',
    nothing:
      'You are no longer subscribed to anything, so there is nothing to keep. You can sign up again on our site.',
    preferences: 'To change what you receive, use the link to your preferences in any of our mails.',
    goneTitle: 'This link has expired',
    gone: 'This link no longer works. To hear from us again, please sign up again on our site.',
    invalidTitle: 'This link is not valid',
    invalid: 'The link is incomplete or was changed. Please use the link from the mail exactly as it is.',
  },
  de: {
    title: 'Möchten Sie weiterhin von uns hören?',
    intro: 'Sie haben eingewilligt, Nachrichten von uns zu erhalten über:',
    question:
      'Wenn Sie weiterhin Nachrichten erhalten möchten, klicken Sie auf die Schaltfläche. Ohne Antwort beenden wir den Versand und löschen Ihre Kontaktdaten.',
    button: 'Weiterhin erhalten',
    doneTitle: 'Sie bleiben angemeldet',
    renewed: 'Vielen Dank: Sie erhalten weiterhin Nachrichten über:',
    already: 'Sie haben bereits geantwortet: Sie erhalten weiterhin Nachrichten über:',
    nothing:
      'Sie haben nichts mehr abonniert, es gibt also nichts zu verlängern. Sie können sich auf unserer Website erneut anmelden.',
    preferences: 'Um zu ändern, was Sie erhalten, nutzen Sie den Link zu Ihren Einstellungen in einer unserer E-Mails.',
    goneTitle: 'Dieser Link ist abgelaufen',
    gone: 'Dieser Link funktioniert nicht mehr. Wenn Sie wieder von uns hören möchten, melden Sie sich bitte auf unserer Website erneut an.',
    invalidTitle: 'Dieser Link ist ungültig',
    invalid:
      'Der Link ist unvollständig oder wurde verändert. Bitte verwenden Sie den Link aus der E-Mail unverändert.',
  },
  fr: {
    title: 'Souhaitez-vous continuer à recevoir nos messages ?',
    intro: 'Vous avez accepté de recevoir nos messages pour :',
    question:
      'Pour continuer, cliquez sur le bouton. Sans réponse de votre part, nous cesserons nos envois et supprimerons vos coordonnées.',
    button: 'Continuer à recevoir',
    doneTitle: 'Vous restez abonné(e)',
    renewed: 'Merci : vous continuerez à recevoir nos messages pour :',
    already: 'Vous avez déjà répondu : vous continuerez à recevoir nos messages pour :',
    nothing:
      'Vous n’êtes plus abonné à rien : il n’y a donc rien à prolonger. Vous pouvez vous inscrire de nouveau sur notre site.',
    preferences:
      'Pour changer ce que vous recevez, utilisez le lien vers vos préférences présent dans chacun de nos e-mails.',
    goneTitle: 'Ce lien a expiré',
    gone: 'Ce lien ne fonctionne plus. Pour recevoir de nouveau nos messages, inscrivez-vous sur notre site.',
    invalidTitle: 'Ce lien n’est pas valide',
    invalid: 'Le lien est incomplet ou a été modifié. Veuillez utiliser le lien de l’e-mail tel quel.',
  },
} as const;

const t = (language: string) => TEXT[pageLanguage(language)];
const list = htmlList;

/** GET: the question and a button that POSTs; opening the link changes nothing. */
export const renewQuestionPage = (language: string, action: string, purposes: string[]) =>
  purposes.length === 0
    ? page(language, t(language).title, `<p>${t(language).nothing}</p>`)
    : page(
        language,
        t(language).title,
        `<p>${t(language).intro}</p>${list(purposes)}<p>${t(language).question}</p>` +
          postButton(action, t(language).button) +
          `<p class="small">${t(language).preferences}</p>`
      );

/** POST: what was done, under a heading that says so (the question is answered). */
export const renewDonePage = (
  language: string,
  status: 'renewed' | 'already-renewed' | 'nothing-to-renew',
  purposes: string[]
) =>
  page(
    language,
    status === 'nothing-to-renew' ? t(language).title : t(language).doneTitle,
    status === 'nothing-to-renew'
      ? `<p>${t(language).nothing}</p>`
      : `<p>${status === 'renewed' ? t(language).renewed : t(language).already}</p>${list(purposes)}<p class="small">${t(language).preferences}</p>`
  );

export const renewGonePage = (language: string) => page(language, t(language).goneTitle, `<p>${t(language).gone}</p>`);

export const renewInvalidPage = (language: string) =>
  page(language, t(language).invalidTitle, `<p>${t(language).invalid}</p>`);
