import type { ConsentState } from '../../../shared/contracts/domain';
import type { PreferenceView } from '../services/preferences';
import { escapeHtml, page } from './layout';
import { pageLanguage } from '../domain/page-language';

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
    unsubscribedNext:
      'This applies from now on. Changed your mind, or want to leave everything? It is all in your preferences.',
    whose: 'Preferences of',
    receive: 'Yes, I want to receive this',
    objectBox: 'I object: do not contact me for this',
    now: 'Now:',
    states: {
      granted: 'subscribed',
      pending: 'waiting for your confirmation',
      objected: 'you objected',
      none: 'not subscribed',
      notObjected: 'you have not objected',
    },
    savedNext: 'They apply from now on. You can come back here at any time with the link in our messages.',
    invalid: 'This link is not valid. Please use the link from the message exactly as it is.',
  },
  de: {
    unsubscribeTitle: 'Abmelden',
    unsubscribeIntro: 'Keine Nachrichten mehr erhalten zu:',
    unsubscribeButton: 'Abmelden',
    unsubscribed: 'Erledigt: Sie erhalten diese Nachrichten nicht mehr.',
    preferencesLink: 'Alle Einstellungen verwalten',
    preferencesTitle: 'Ihre Einstellungen',
    preferencesIntro:
      'Haken Sie an, was Sie erhalten möchten. Entfernen Sie den Haken, um es zu beenden; mehr ist nicht nötig.',
    save: 'Auswahl speichern',
    leaveAll: 'Von allem abmelden',
    saved: 'Ihre Auswahl ist gespeichert.',
    object: 'Ich widerspreche:',
    unsubscribedNext:
      'Das gilt ab sofort. Haben Sie es sich anders überlegt oder möchten Sie sich von allem abmelden? Das finden Sie in Ihren Einstellungen.',
    whose: 'Einstellungen für',
    receive: 'Ja, das möchte ich erhalten',
    objectBox: 'Ich widerspreche: Bitte kontaktieren Sie mich dafür nicht',
    now: 'Derzeit:',
    states: {
      granted: 'angemeldet',
      pending: 'wartet auf Ihre Bestätigung',
      objected: 'Sie haben widersprochen',
      none: 'nicht angemeldet',
      notObjected: 'Sie haben nicht widersprochen',
    },
    savedNext: 'Sie gilt ab sofort. Über den Link in unseren Nachrichten können Sie jederzeit hierher zurückkehren.',
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
    unsubscribedNext:
      'C’est effectif dès maintenant. Vous avez changé d’avis, ou souhaitez tout quitter ? Tout se trouve dans vos préférences.',
    whose: 'Préférences de',
    receive: 'Oui, je souhaite recevoir ceci',
    objectBox: 'Je m’oppose : ne me contactez pas pour ceci',
    now: 'Actuellement :',
    states: {
      granted: 'abonné(e)',
      pending: 'en attente de votre confirmation',
      objected: 'vous vous y êtes opposé(e)',
      none: 'non abonné(e)',
      notObjected: 'vous ne vous y êtes pas opposé(e)',
    },
    savedNext: 'Ils s’appliquent dès maintenant. Vous pouvez revenir ici à tout moment avec le lien de nos messages.',
    invalid: 'Ce lien n’est pas valide. Veuillez utiliser le lien du message tel quel.',
  },
} as const;

const t = (language: string) => TEXT[pageLanguage(language)];

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

export const unsubscribedPage = (language: string, preferencesUrl: string) =>
  page(
    language,
    t(language).unsubscribeTitle,
    `<p>${t(language).unsubscribed}</p><p>${t(language).unsubscribedNext}</p>` +
      `<p><a href="${escapeHtml(preferencesUrl)}">${t(language).preferencesLink}</a></p>`
  );

export const invalidLinkPage = (language: string) =>
  page(language, t(language).unsubscribeTitle, `<p>${t(language).invalid}</p>`);

/** One state a purpose can show; a purpose on several channels shows the most committed one. */
const shownState = (
  states: Partial<Record<string, ConsentState>>,
  mechanism: string
): keyof (typeof TEXT)['en']['states'] => {
  const values = Object.values(states);
  for (const state of ['granted', 'pending', 'objected'] as const) if (values.includes(state)) return state;
  // Without an objection a legitimate-interest purpose applies: "not subscribed" would be untrue.
  return mechanism === 'opt-out' ? 'notObjected' : 'none';
};

/**
 * The preference centre without JavaScript: whose preferences these are (masked, D5), then one fieldset
 * per purpose, its legend the notice title the form showed, its box labelled with what ticking means and
 * ticked only where the consent is granted (or, for a legitimate-interest purpose, the objection made);
 * the notice to read before ticking; two buttons with equal weight: save, or leave everything.
 */
export const preferencesPage = (view: PreferenceView, action: string, saved = false) => {
  const tx = t(view.language);
  const items = view.purposes
    .map((p, i) => {
      const state = shownState(p.states, p.mechanism);
      const checked = p.mechanism === 'opt-in' ? Object.values(p.states).includes('granted') : state === 'objected';
      const id = `purpose-${i}`;
      return `<fieldset class="purpose" aria-describedby="${id}-text">
<legend>${p.mechanism === 'opt-out' ? `${tx.object} ` : ''}${escapeHtml(p.notice.title)}</legend>
<p class="small">${tx.now} ${tx.states[state]}</p>
<div id="${id}-text"><p>${escapeHtml(p.notice.body)}</p><p>${escapeHtml(p.notice.withdrawal)}</p></div>
<p class="choice"><input type="checkbox" id="${id}" name="choices[${escapeHtml(p.key)}]" value="on"${checked ? ' checked' : ''}>
<label for="${id}">${p.mechanism === 'opt-out' ? tx.objectBox : tx.receive}</label></p>
<input type="hidden" name="shown[]" value="${escapeHtml(p.key)}">
<input type="hidden" name="notices[${escapeHtml(p.key)}][version]" value="${p.notice.version}">
<input type="hidden" name="notices[${escapeHtml(p.key)}][hash]" value="${escapeHtml(p.notice.hash)}"></fieldset>`;
    })
    .join('\n');
  const whose = view.addresses.length
    ? `<p class="whose">${tx.whose} <strong>${view.addresses.map(escapeHtml).join(' · ')}</strong></p>`
    : '';
  return page(
    view.language,
    tx.preferencesTitle,
    `${whose}${saved ? `<p role="status"><strong>${tx.saved}</strong> ${tx.savedNext}</p>` : ''}<p>${tx.preferencesIntro}</p>
<form method="post" action="${escapeHtml(action)}">${items}
<p class="actions"><button type="submit" name="action" value="save">${tx.save}</button>
<button type="submit" name="action" value="leave-all">${tx.leaveAll}</button></p></form>`
  );
};
