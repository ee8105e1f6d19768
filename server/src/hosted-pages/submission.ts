import type { ConsentState } from '../../../shared/contracts/domain';
import { escapeHtml, page } from './layout';
import type { PageLanguage } from '../domain/page-language';

const TEXT = {
  en: {
    thanks: 'Thank you',
    saved: 'Your choices have been recorded.',
    pending:
      'Please check your mailbox: we have just sent you a link. Open it and press "Confirm"; until then we will not write to you.',
    next: 'Every message we send has a link to unsubscribe or to change your choices.',
    // The label with its colon: French puts a no-break space before it.
    receipt: 'Receipt:',
    error: 'Your form could not be sent',
    outdated:
      'The text of the form has changed since you opened it. Please reload the page, read it again and send it again.',
    tooMany: 'Too many attempts. Please try again in a minute.',
    emailInvalid:
      'The email address does not look right. Please check it (for example name@example.com) and send the form again.',
    emailMissing: 'Please enter your email address: we need it to send you what you asked for.',
    phoneInvalid:
      'The telephone number does not look right. Please check it, with the country code if it is not a local number, and send the form again.',
    phoneMissing:
      'Please enter your telephone number: we need it to contact you by phone or text message as you asked.',
    contactMissing: 'Please enter your email address or your telephone number.',
    notAllowed:
      'This form cannot be sent from this page. Please open the form again on our site and send it from there.',
    formGone: 'This form is no longer available. Please go back to our site and try again.',
    tooLarge: 'The form holds too much text. Please shorten what you typed and send it again.',
    other: 'Something in the form could not be read. Please check what you entered and send it again.',
    back: 'Back to the form',
  },
  de: {
    thanks: 'Vielen Dank',
    saved: 'Ihre Auswahl wurde gespeichert.',
    pending:
      'Bitte sehen Sie in Ihr Postfach: Wir haben Ihnen soeben einen Link gesendet. Öffnen Sie ihn und klicken Sie auf „Bestätigen“; bis dahin schreiben wir Ihnen nicht.',
    next: 'Jede unserer Nachrichten enthält einen Link, um sich abzumelden oder Ihre Auswahl zu ändern.',
    receipt: 'Beleg:',
    error: 'Ihr Formular konnte nicht gesendet werden',
    outdated:
      'Der Text des Formulars hat sich geändert, seit Sie es geöffnet haben. Bitte laden Sie die Seite neu, lesen Sie ihn erneut und senden Sie das Formular noch einmal.',
    tooMany: 'Zu viele Versuche. Bitte versuchen Sie es in einer Minute erneut.',
    emailInvalid:
      'Die E-Mail-Adresse scheint nicht zu stimmen. Bitte prüfen Sie sie (zum Beispiel name@example.com) und senden Sie das Formular erneut.',
    emailMissing: 'Bitte geben Sie Ihre E-Mail-Adresse ein: Wir brauchen sie, um Ihnen das Gewünschte zu senden.',
    phoneInvalid:
      'Die Telefonnummer scheint nicht zu stimmen. Bitte prüfen Sie sie, mit Ländervorwahl, wenn es keine inländische Nummer ist, und senden Sie das Formular erneut.',
    phoneMissing:
      'Bitte geben Sie Ihre Telefonnummer ein: Wir brauchen sie, um Sie wie gewünscht per Telefon oder SMS zu kontaktieren.',
    contactMissing: 'Bitte geben Sie Ihre E-Mail-Adresse oder Ihre Telefonnummer ein.',
    notAllowed:
      'Dieses Formular kann von dieser Seite aus nicht gesendet werden. Bitte öffnen Sie das Formular erneut auf unserer Website und senden Sie es von dort.',
    formGone:
      'Dieses Formular ist nicht mehr verfügbar. Bitte kehren Sie zu unserer Website zurück und versuchen Sie es erneut.',
    tooLarge: 'Das Formular enthält zu viel Text. Bitte kürzen Sie Ihre Eingaben und senden Sie es erneut.',
    other:
      'Ein Teil des Formulars konnte nicht gelesen werden. Bitte prüfen Sie Ihre Eingaben und senden Sie es erneut.',
    back: 'Zurück zum Formular',
  },
  fr: {
    thanks: 'Merci',
    saved: 'Vos choix ont été enregistrés.',
    pending:
      'Consultez votre boîte aux lettres : nous venons de vous envoyer un lien. Ouvrez-le et cliquez sur « Confirmer » ; d’ici là, nous ne vous écrirons pas.',
    next: 'Chacun de nos messages contient un lien pour vous désinscrire ou modifier vos choix.',
    receipt: 'Reçu\u00a0:',
    error: 'Votre formulaire n’a pas pu être envoyé',
    outdated:
      'Le texte du formulaire a changé depuis que vous l’avez ouvert. Veuillez recharger la page, le relire et l’envoyer de nouveau.',
    tooMany: 'Trop de tentatives. Veuillez réessayer dans une minute.',
    emailInvalid:
      'L’adresse e-mail semble incorrecte. Vérifiez-la (par exemple nom@example.com) et envoyez de nouveau le formulaire.',
    emailMissing:
      'Veuillez indiquer votre adresse e-mail : nous en avons besoin pour vous envoyer ce que vous avez demandé.',
    phoneInvalid:
      'Le numéro de téléphone semble incorrect. Vérifiez-le, avec l’indicatif du pays s’il n’est pas français, et envoyez de nouveau le formulaire.',
    phoneMissing:
      'Veuillez indiquer votre numéro de téléphone : nous en avons besoin pour vous contacter par téléphone ou SMS comme vous l’avez demandé.',
    contactMissing: 'Veuillez indiquer votre adresse e-mail ou votre numéro de téléphone.',
    notAllowed:
      'Ce formulaire ne peut pas être envoyé depuis cette page. Ouvrez de nouveau le formulaire sur notre site et envoyez-le depuis celui-ci.',
    formGone: 'Ce formulaire n’est plus disponible. Revenez sur notre site et réessayez.',
    tooLarge: 'Le formulaire contient trop de texte. Raccourcissez votre saisie et envoyez-le de nouveau.',
    other: 'Une partie du formulaire n’a pas pu être lue. Vérifiez votre saisie et envoyez-le de nouveau.',
    back: 'Retour au formulaire',
  },
} as const;

export type { PageLanguage };

/** Shown after a plain HTML form was posted and the form has no success URL to redirect to. */
export const submissionAcceptedPage = (
  language: PageLanguage,
  receiptId: string,
  states: Record<string, ConsentState>
) => {
  const t = TEXT[language];
  const pending = Object.values(states).includes('pending');
  return page(
    language,
    t.thanks,
    `<p>${t.saved}</p>${pending ? `<p><strong>${t.pending}</strong></p>` : ''}<p>${t.next}</p>` +
      `<p class="small">${t.receipt} <code>${escapeHtml(receiptId)}</code></p>`
  );
};

type Reason = Exclude<
  keyof (typeof TEXT)['en'],
  'thanks' | 'saved' | 'pending' | 'next' | 'receipt' | 'error' | 'back'
>;

export interface RefusedSubmission {
  status: number;
  name: string;
  /** Strapi's `details.errors[]` of a ValidationError: the fields refused, as paths. */
  paths: string[][];
  /** The identifiers the visitor typed, to tell a missing field from one that does not parse. */
  given: { email?: boolean; phone?: boolean };
}

/**
 * Which sentence a visitor reads for a refusal. The API's message is written for developers ("subject.email
 * is not an email address"); a visitor gets what to do, in their language. Order matters: the first field
 * refused is the one to fix first.
 */
export const visitorReason = (error: RefusedSubmission): Reason => {
  if (error.name === 'NoticeOutdated') return 'outdated';
  if (error.status === 429) return 'tooMany';
  if (error.status === 413) return 'tooLarge';
  if (error.status === 403) return 'notAllowed';
  if (error.status === 404) return 'formGone';
  const [first = []] = error.paths;
  if (first[0] === 'subject' && (first[1] === 'email' || first[1] === 'phone')) {
    const field = first[1];
    return error.given[field]
      ? field === 'email'
        ? 'emailInvalid'
        : 'phoneInvalid'
      : field === 'email'
        ? 'emailMissing'
        : 'phoneMissing';
  }
  if (first[0] === 'subject' && first.length === 1) return 'contactMissing';
  if (first[0] === 'notices') return 'outdated';
  return 'other';
};

/** A refused plain HTML submission: the reason in the visitor's words, and the way back (the page it came from). */
export const submissionErrorPage = (language: PageLanguage, error: RefusedSubmission, back: string | undefined) => {
  const t = TEXT[language];
  const link = back ? `<p><a href="${escapeHtml(back)}">${t.back}</a></p>` : '';
  return page(language, t.error, `<p role="alert">${t[visitorReason(error)]}</p>${link}`);
};
