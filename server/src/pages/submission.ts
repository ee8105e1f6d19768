import type { ConsentState } from '../../../shared/contracts/domain';
import { escapeHtml, page } from './layout';

const TEXT = {
  en: {
    thanks: 'Thank you',
    saved: 'Your choices have been recorded.',
    pending: 'Please confirm with the link we have just emailed you.',
    receipt: 'Receipt',
    error: 'Your form could not be sent',
    outdated: 'The text of the form has changed since you opened it. Please reload the page, read it again and send it again.',
    tooMany: 'Too many attempts. Please try again in a minute.',
    back: 'Back to the form',
  },
  de: {
    thanks: 'Vielen Dank',
    saved: 'Ihre Auswahl wurde gespeichert.',
    pending: 'Bitte bestätigen Sie über den Link, den wir Ihnen soeben per E-Mail gesendet haben.',
    receipt: 'Beleg',
    error: 'Ihr Formular konnte nicht gesendet werden',
    outdated: 'Der Text des Formulars hat sich geändert, seit Sie es geöffnet haben. Bitte laden Sie die Seite neu, lesen Sie ihn erneut und senden Sie das Formular noch einmal.',
    tooMany: 'Zu viele Versuche. Bitte versuchen Sie es in einer Minute erneut.',
    back: 'Zurück zum Formular',
  },
  fr: {
    thanks: 'Merci',
    saved: 'Vos choix ont été enregistrés.',
    pending: 'Veuillez confirmer avec le lien que nous venons de vous envoyer par e-mail.',
    receipt: 'Reçu',
    error: 'Votre formulaire n’a pas pu être envoyé',
    outdated: 'Le texte du formulaire a changé depuis que vous l’avez ouvert. Veuillez recharger la page, le relire et l’envoyer de nouveau.',
    tooMany: 'Trop de tentatives. Veuillez réessayer dans une minute.',
    back: 'Retour au formulaire',
  },
} as const;

export type PageLanguage = keyof typeof TEXT;

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
    `<p>${t.saved}</p>${pending ? `<p><strong>${t.pending}</strong></p>` : ''}` +
      `<p class="small">${t.receipt}: <code>${escapeHtml(receiptId)}</code></p>`
  );
};

/** A refused plain HTML submission: the reason in words, and the way back (the page it came from). */
export const submissionErrorPage = (
  language: PageLanguage,
  error: { status: number; name: string; message: string },
  back: string | undefined
) => {
  const t = TEXT[language];
  const message =
    error.name === 'NoticeOutdated' ? t.outdated : error.status === 429 ? t.tooMany : escapeHtml(error.message);
  const link = back ? `<p><a href="${escapeHtml(back)}">${t.back}</a></p>` : '';
  return page(language, t.error, `<p>${message}</p>${link}`);
};
