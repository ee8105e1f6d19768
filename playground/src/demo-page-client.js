/**
 * The demo form rendered in the browser by `strapi-plugin-consent/client` (issue 8): the page is a shell,
 * the script (demo-page-client.browser.mjs) fetches the form definition and renders the purposes, and the
 * client handles the 409 re-ask and field errors. Scripts are files, not inline: Strapi's CSP allows only
 * 'self' scripts in production. /demo stays the page that works without JavaScript.
 */
const fs = require('node:fs');
const path = require('node:path');
const { labels: common, LANGUAGES, escape } = require('./demo-page');

/** The client as the package ships it (`npm run build`); the playground loads the plugin from the repo root. */
const CLIENT_BUNDLE = path.resolve(__dirname, '..', '..', 'dist', 'client', 'index.mjs');
const PAGE_SCRIPT = path.join(__dirname, 'demo-page-client.browser.mjs');

const labels = {
  en: {
    ...common.en,
    loading: 'Loading the form…',
    sending: 'Sending…',
    changed: 'This text has changed since the page was opened. Please read it and choose again.',
    reask:
      'A text changed while you were reading: nothing was recorded. Please read the marked purposes again, choose, and send.',
    gpc: 'Your browser sends a Global Privacy Control signal: we record it as your objection to the uses it covers, unless you tick them here.',
    failed: 'Sorry, your choices could not be recorded:',
    noscript: 'This page needs JavaScript. The same form without JavaScript:',
    // What was recorded, after the notice title the person read (issue 17): never keys or state names.
    result: {
      granted: 'yes, recorded.',
      refused: 'no, recorded.',
      pending: 'confirmation mail sent. Please click the link in it to confirm.',
      pendingUnsent: 'waiting for your confirmation by mail.',
      objected: 'objection recorded.',
      none: 'no change.',
      other: 'recorded.',
    },
  },
  de: {
    ...common.de,
    loading: 'Formular wird geladen …',
    sending: 'Wird gesendet …',
    changed: 'Dieser Text wurde geändert, seit die Seite geöffnet wurde. Bitte lesen Sie ihn und wählen Sie erneut.',
    reask:
      'Ein Text wurde während des Lesens geändert: Es wurde nichts gespeichert. Bitte lesen Sie die markierten Zwecke erneut, wählen Sie und senden Sie ab.',
    gpc: 'Ihr Browser sendet das Signal Global Privacy Control: Wir werten es als Ihren Widerspruch zu den betroffenen Verwendungen, sofern Sie diese hier nicht ankreuzen.',
    failed: 'Ihre Auswahl konnte leider nicht gespeichert werden:',
    noscript: 'Diese Seite benötigt JavaScript. Dasselbe Formular ohne JavaScript:',
    result: {
      granted: 'ja, gespeichert.',
      refused: 'nein, gespeichert.',
      pending: 'Bestätigungs-E-Mail gesendet. Bitte klicken Sie auf den Link darin, um zu bestätigen.',
      pendingUnsent: 'wartet auf Ihre Bestätigung per E-Mail.',
      objected: 'Widerspruch gespeichert.',
      none: 'keine Änderung.',
      other: 'gespeichert.',
    },
  },
  fr: {
    ...common.fr,
    loading: 'Chargement du formulaire…',
    sending: 'Envoi…',
    changed: 'Ce texte a changé depuis l’ouverture de la page. Merci de le relire et de choisir à nouveau.',
    reask:
      'Un texte a changé pendant votre lecture : rien n’a été enregistré. Merci de relire les finalités signalées, de choisir, puis d’envoyer.',
    gpc: 'Votre navigateur envoie le signal Global Privacy Control : nous l’enregistrons comme votre opposition aux usages concernés, sauf si vous les cochez ici.',
    failed: 'Désolé, vos choix n’ont pas pu être enregistrés :',
    noscript: 'Cette page nécessite JavaScript. Le même formulaire sans JavaScript :',
    result: {
      granted: 'oui, enregistré.',
      refused: 'non, enregistré.',
      pending: 'e-mail de confirmation envoyé. Merci de cliquer sur le lien qu’il contient pour confirmer.',
      pendingUnsent: 'en attente de votre confirmation par e-mail.',
      objected: 'opposition enregistrée.',
      none: 'aucun changement.',
      other: 'enregistré.',
    },
  },
};

const renderClientDemoPage = ({ language, form }) => {
  const lang = LANGUAGES.includes(language) ? language : 'en';
  const key = /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(form ?? '') ? form : 'demo';
  const t = labels[lang];
  // JSON in a non-executable script element; `<` escaped so no text can close it.
  const config = JSON.stringify({ form: key, locale: lang, labels: t }).replace(/</g, '\\u003c');
  const switcher = LANGUAGES.map((l) =>
    l === lang ? `<strong>${l}</strong>` : `<a href="/demo/client?locale=${l}&amp;form=${key}">${l}</a>`
  ).join(' · ');
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(t.title)} · strapi-plugin-consent client demo</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
  fieldset.consent-purpose { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem; }
  fieldset.consent-purpose[data-changed] { border-color: #b45309; }
  .consent-small { font-size: .85rem; color: #555; }
  .consent-error, .consent-changed { color: #b91c1c; }
  label.field { display: block; margin: .75rem 0; }
  input[type=email], input[type=tel] { width: 100%; padding: .4rem; }
</style>
<script type="application/json" id="demo-config">${config}</script>
<script type="module" src="/demo/assets/demo-page-client.mjs"></script>
</head>
<body>
  <nav>${switcher} · <a href="/demo?locale=${lang}">HTML</a></nav>
  <h1>${escape(t.title)}</h1>
  <noscript><p>${escape(t.noscript)} <a href="/demo?locale=${lang}">/demo</a></p></noscript>
  <form id="consent-demo" novalidate>
    <label class="field">${escape(t.email)} <input type="email" name="email" required autocomplete="email" aria-describedby="error-subject.email">
      <span class="consent-error" id="error-subject.email" role="alert"></span></label>
    <label class="field">${escape(t.phone)} <input type="tel" name="phone" autocomplete="tel" aria-describedby="error-subject.phone">
      <span class="consent-error" id="error-subject.phone" role="alert"></span></label>
    <div id="purposes" aria-busy="true"><p>${escape(t.loading)}</p></div>
    <button type="submit">${escape(t.submit)}</button>
  </form>
  <div id="status" role="status" aria-live="polite"></div>
</body></html>`;
};

/** The two scripts the page loads, read from disk on each request so a rebuild shows without a restart. */
const clientAsset = (name) => {
  const file = name === 'consent-client.mjs' ? CLIENT_BUNDLE : name === 'demo-page-client.mjs' ? PAGE_SCRIPT : null;
  if (!file || !fs.existsSync(file)) return null;
  return fs.readFileSync(file, 'utf8');
};

module.exports = { renderClientDemoPage, clientAsset };
