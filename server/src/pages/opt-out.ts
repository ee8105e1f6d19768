import type { PreferenceView } from '../services/preferences';
import { escapeHtml, page } from './layout';

const TEXT = {
  en: {
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeIntro: 'Stop receiving messages for:',
    unsubscribeButton: 'Unsubscribe',
    unsubscribed: 'Done: you will not receive these messages any more.',
    preferencesLink: 'Manage all your preferences',
    preferencesTitle: 'Your preferences',
    preferencesIntro: 'Tick what you want to receive. Untick to stop; nothing else is needed.',
    save: 'Save my choices',
    leaveAll: 'Unsubscribe from everything',
    saved: 'Your choices are saved.',
    object: 'I object:',
    invalid: 'This link is not valid. Please use the link from the message exactly as it is.',
  },
  de: {
    unsubscribeTitle: 'Abmelden',
    unsubscribeIntro: 'Keine Nachrichten mehr erhalten zu:',
    unsubscribeButton: 'Abmelden',
    unsubscribed: 'Erledigt: Sie erhalten diese Nachrichten nicht mehr.',
    preferencesLink: 'Alle Einstellungen verwalten',
    preferencesTitle: 'Ihre Einstellungen',
    preferencesIntro: 'Haken Sie an, was Sie erhalten möchten. Entfernen Sie den Haken, um es zu beenden; mehr ist nicht nötig.',
    save: 'Auswahl speichern',
    leaveAll: 'Von allem abmelden',
    saved: 'Ihre Auswahl ist gespeichert.',
    object: 'Ich widerspreche:',
    invalid: 'Dieser Link ist ungültig. Bitte verwenden Sie den Link aus der Nachricht unverändert.',
  },
  fr: {
    unsubscribeTitle: 'Se désinscrire',
    unsubscribeIntro: 'Ne plus recevoir de messages pour :',
    unsubscribeButton: 'Me désinscrire',
    unsubscribed: 'C’est fait : vous ne recevrez plus ces messages.',
    preferencesLink: 'Gérer toutes vos préférences',
    preferencesTitle: 'Vos préférences',
    preferencesIntro: 'Cochez ce que vous souhaitez recevoir. Décochez pour arrêter ; rien d’autre n’est nécessaire.',
    save: 'Enregistrer mes choix',
    leaveAll: 'Me désinscrire de tout',
    saved: 'Vos choix sont enregistrés.',
    object: 'Je m’oppose :',
    invalid: 'Ce lien n’est pas valide. Veuillez utiliser le lien du message tel quel.',
  },
} as const;

const t = (language: string) => TEXT[(language.slice(0, 2) in TEXT ? language.slice(0, 2) : 'en') as keyof typeof TEXT];

/** GET of a one-click link (E4): a button that POSTs `List-Unsubscribe=One-Click`, and the preference centre. */
export const unsubscribePage = (language: string, action: string, purposes: string[], preferencesUrl: string | null) =>
  page(
    language,
    t(language).unsubscribeTitle,
    `<p>${t(language).unsubscribeIntro}</p><ul>${purposes.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${t(language).unsubscribeButton}</button></form>` +
      (preferencesUrl ? `<p><a href="${escapeHtml(preferencesUrl)}">${t(language).preferencesLink}</a></p>` : '')
  );

export const unsubscribedPage = (language: string) =>
  page(language, t(language).unsubscribeTitle, `<p>${t(language).unsubscribed}</p>`);

export const invalidLinkPage = (language: string) =>
  page(language, t(language).unsubscribeTitle, `<p>${t(language).invalid}</p>`);

/**
 * The preference centre without JavaScript: one box per purpose showing its current state (a box is
 * ticked only where the person's consent is granted), the notice to read before ticking, and two buttons
 * with equal weight: save, or leave everything.
 */
export const preferencesPage = (view: PreferenceView, action: string, saved = false) => {
  const tx = t(view.language);
  const items = view.purposes
    .map((p) => {
      const granted = Object.values(p.states).some((s) => s === 'granted');
      const objected = Object.values(p.states).some((s) => s === 'objected');
      const checked = p.mechanism === 'opt-in' ? granted : objected;
      return `<fieldset><label><input type="checkbox" name="choices[${escapeHtml(p.key)}]" value="on"${checked ? ' checked' : ''}> ${
        p.mechanism === 'opt-out' ? `${tx.object} ` : ''
      }<strong>${escapeHtml(p.notice.title)}</strong></label>
<p>${escapeHtml(p.notice.body)}</p><p>${escapeHtml(p.notice.withdrawal)}</p>
<input type="hidden" name="shown[]" value="${escapeHtml(p.key)}">
<input type="hidden" name="notices[${escapeHtml(p.key)}][version]" value="${p.notice.version}">
<input type="hidden" name="notices[${escapeHtml(p.key)}][hash]" value="${escapeHtml(p.notice.hash)}"></fieldset>`;
    })
    .join('');
  return page(
    view.language,
    tx.preferencesTitle,
    `${saved ? `<p><strong>${tx.saved}</strong></p>` : ''}<p>${tx.preferencesIntro}</p>
<form method="post" action="${escapeHtml(action)}">${items}
<p><button type="submit" name="action" value="save">${tx.save}</button>
<button type="submit" name="action" value="leave-all">${tx.leaveAll}</button></p></form>`
  );
};
