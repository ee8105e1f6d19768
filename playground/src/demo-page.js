/**
 * A plain HTML page with the demo form, rendered from the database: each purpose offered by the form is
 * one unticked checkbox (A2, A4) with its current published notice, and the notice version and hash the
 * person was shown travel with the submission (A9). It works without JavaScript (urlencoded POST).
 */
const LANGUAGES = ['en', 'de', 'fr'];

/** The seeded forms a visitor can switch between (playground/src/seed-data.js). */
const DEMO_FORMS = [
  ['demo', 'Sign-up'],
  ['kids-club', 'Kids club'],
];

const escape = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]
  );

const labels = {
  en: {
    title: 'Stay in touch',
    languages: 'Languages',
    forms: 'Forms',
    email: 'Email',
    phone: 'Telephone (optional)',
    age: 'Your age',
    parentEmail: 'Email address of a parent or guardian',
    parentHint: (n) => `Under ${n}, a parent or guardian must agree: we will send them an email to confirm.`,
    submit: 'Send',
    recipients: 'Recipients',
    data: 'Data',
    policy: 'Privacy policy',
    controller: 'Controller',
    object: 'I object:',
    thanks: 'Thank you: your choices are recorded.',
    checkMail: 'One more step: check your mailbox. We have sent you a link to confirm',
    untilConfirmed: 'Until you open it and press "Confirm", we will not write to you about this.',
    next: 'Every message we send has a link to unsubscribe or to change your choices.',
    receipt: 'Receipt',
  },
  de: {
    title: 'In Kontakt bleiben',
    languages: 'Sprachen',
    forms: 'Formulare',
    email: 'E-Mail',
    phone: 'Telefon (optional)',
    age: 'Dein Alter',
    parentEmail: 'E-Mail-Adresse eines Elternteils',
    parentHint: (n) => `Unter ${n} Jahren muss ein Elternteil zustimmen: Wir schicken ihm eine E-Mail zur Bestätigung.`,
    submit: 'Absenden',
    recipients: 'Empfänger',
    data: 'Daten',
    policy: 'Datenschutzerklärung',
    controller: 'Verantwortlicher',
    object: 'Ich widerspreche:',
    thanks: 'Vielen Dank: Ihre Auswahl ist gespeichert.',
    checkMail: 'Noch ein Schritt: Sehen Sie in Ihr Postfach. Wir haben Ihnen einen Link zur Bestätigung gesendet',
    untilConfirmed: 'Bis Sie ihn öffnen und auf „Bestätigen“ klicken, schreiben wir Ihnen dazu nicht.',
    next: 'Jede unserer Nachrichten enthält einen Link, um sich abzumelden oder Ihre Auswahl zu ändern.',
    receipt: 'Beleg',
  },
  fr: {
    title: 'Restons en contact',
    languages: 'Langues',
    forms: 'Formulaires',
    email: 'E-mail',
    phone: 'Téléphone (facultatif)',
    age: 'Ton âge',
    parentEmail: 'Adresse e-mail d’un parent',
    parentHint: (n) =>
      `Avant ${n} ans, un parent doit donner son accord : nous lui enverrons un e-mail de confirmation.`,
    submit: 'Envoyer',
    recipients: 'Destinataires',
    data: 'Données',
    colon: '\u00a0: ',
    policy: 'Politique de confidentialité',
    controller: 'Responsable du traitement',
    object: 'Je m’oppose :',
    thanks: 'Merci : vos choix sont enregistrés.',
    checkMail: 'Encore une étape : consultez votre boîte aux lettres. Nous vous avons envoyé un lien pour confirmer',
    untilConfirmed:
      'Tant que vous ne l’avez pas ouvert et cliqué sur « Confirmer », nous ne vous écrirons pas à ce sujet.',
    next: 'Chacun de nos messages contient un lien pour vous désinscrire ou modifier vos choix.',
    receipt: 'Reçu',
  },
};

/**
 * The shop's own look, close to the plugin's hosted pages branded with `pages.accentColor` (config/plugins.js),
 * so that a visitor going from the form to the confirmation page stays in one site. Accessible at 320 px.
 */
const STYLE = `
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; background: #f3f4f6; color: #1f2328; font: 1rem/1.5 system-ui, sans-serif; overflow-wrap: anywhere; }
  .site { background: #fff; border-top: 4px solid #0b6e4f; border-bottom: 1px solid #d1d5db; }
  .site p { max-width: 38rem; margin: 0 auto; padding: .75rem 1rem; font-weight: 600; }
  main { max-width: 38rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border: 1px solid #d1d5db; border-radius: 8px; }
  @media (max-width: 40rem) { main { margin: 0; border: 0; border-radius: 0; padding: 1rem; } }
  h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
  nav { margin-bottom: 1rem; }
  a { color: #0b6e4f; }
  fieldset.purpose { border: 1px solid #9ca3af; border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem; min-width: 0; }
  .small { font-size: .875rem; color: #4b5563; }
  label.field { display: block; margin: .75rem 0; }
  input[type=email], input[type=tel], input[type=number] { display: block; width: 100%; margin-top: .25rem; padding: .5rem; font: inherit; border: 1px solid #6b7280; border-radius: 4px; }
  input[type=checkbox] { width: 1.1rem; height: 1.1rem; accent-color: #0b6e4f; vertical-align: -.15rem; }
  button { font: inherit; font-weight: 600; min-height: 44px; padding: .5rem 1.25rem; border: 0; border-radius: 6px; background: #0b6e4f; color: #fff; cursor: pointer; }
  :focus-visible { outline: 3px solid #0b6e4f; outline-offset: 2px; }
`;

const renderDemoPage = async (strapi, { language, form: formKey = 'demo' }) => {
  const lang = LANGUAGES.includes(language) ? language : 'en';
  const t = labels[lang];
  let form;
  try {
    // The same definition a front end gets from GET /api/consent/forms/demo?locale=…
    form = await strapi.plugin('consent').service('forms').definition(formKey, lang);
  } catch {
    return null;
  }
  const { controller } = form;
  // A form offered to children (G1, G2): the age first, and the parent's address, which only a child below
  // the threshold must give (without JavaScript the field cannot appear on demand, so it says when).
  const ageQuestion = form.ageQuestion
    ? `<fieldset class="purpose age">
      <label class="field">${escape(t.age)} <input type="number" name="age" min="0" max="120" inputmode="numeric" required></label>
      <label class="field">${escape(t.parentEmail)} <input type="email" name="parentEmail" autocomplete="off"></label>
      <p class="small">${escape(t.parentHint(form.ageQuestion.threshold))}</p>
    </fieldset>`
    : '';
  const boxes = form.purposes
    .map(
      ({ key, notice, mechanism, boxes: perChannel }) => `
    <fieldset class="purpose">
      ${
        perChannel
          ? // One box per channel, each recorded on its own (A4): choices[purpose][channel]=on.
            `<p>${mechanism === 'opt-out' ? `${escape(t.object)} ` : ''}<strong>${escape(notice.title)}</strong></p>${perChannel
              .map(
                (b) =>
                  `<label><input type="checkbox" name="choices[${escape(key)}][${escape(b.channel)}]" value="on"> ${escape(b.label)}</label><br>`
              )
              .join('')}`
          : `<label><input type="checkbox" name="choices[${escape(key)}]" value="on"> ${
              // For a legitimate-interest purpose the box is the objection (spec 4.1): say so on the label.
              mechanism === 'opt-out' ? `${escape(t.object)} ` : ''
            }<strong>${escape(notice.title)}</strong></label>`
      }
      <p>${escape(notice.body)}</p>
      <p>${escape(notice.withdrawal)}</p>
      <p class="small">${t.data}${t.colon ?? ': '}${escape(notice.dataCategories.join(', '))}${
        notice.recipients.length ? ` · ${t.recipients}${t.colon ?? ': '}${escape(notice.recipients.join(', '))}` : ''
      }</p>
      <input type="hidden" name="notices[${escape(key)}][version]" value="${notice.version}">
      <input type="hidden" name="notices[${escape(key)}][hash]" value="${escape(notice.hash)}">
    </fieldset>`
    )
    .join('');
  // The links keep the form shown (the kids club's too), and lead to the other demo forms.
  const on = (path, l, key) => `${path}?locale=${l}${key === 'demo' ? '' : `&amp;form=${encodeURIComponent(key)}`}`;
  const switcher =
    LANGUAGES.map((l) =>
      l === lang ? `<strong>${l}</strong>` : `<a href="${on('/demo', l, form.key)}">${l}</a>`
    ).join(' · ') + ` · <a href="${on('/demo/client', lang, form.key)}">JavaScript</a>`;
  const forms = DEMO_FORMS.map(([key, name]) =>
    key === form.key ? `<strong>${escape(name)}</strong>` : `<a href="${on('/demo', lang, key)}">${escape(name)}</a>`
  ).join(' · ');
  // Strapi answers with `Referrer-Policy: no-referrer`, under which a browser posts a form with
  // `Origin: null`, and the plugin refuses a post whose origin it cannot check (403). The page's own
  // policy lets the browser name this origin on the post (and on nothing cross-site).
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escape(t.title)} · strapi-plugin-consent demo</title>
<style>${STYLE}</style></head>
<body>
  <header class="site"><p>Example Shop</p></header>
  <main>
  <nav aria-label="${escape(t.languages)}">${switcher}</nav>
  <nav aria-label="${escape(t.forms)}">${forms}</nav>
  <h1>${escape(t.title)}</h1>
  <form id="consent-demo" method="post" action="/api/consent/submissions" accept-charset="utf-8">
    <input type="hidden" name="form" value="${escape(form.key)}">
    <input type="hidden" name="locale" value="${lang}">
    <label class="field">${t.email} <input type="email" name="subject[email]" required autocomplete="email"></label>
    <label class="field">${t.phone} <input type="tel" name="subject[phone]" autocomplete="tel"></label>
    ${ageQuestion}
    ${boxes}
    <button type="submit">${escape(t.submit)}</button>
  </form>
  <p class="small">${t.controller}: ${escape(controller.name)}, ${escape(controller.address)}, ${escape(controller.contact)} ·
  <a href="${escape(form.privacyPolicyUrl)}">${t.policy}</a></p>
  </main>
</body></html>`;
};

/**
 * Where the demo form's success URL points. The plugin appends `receipt`, `locale` (the form's language)
 * and `pending` (the purposes waiting for the confirmation link, comma-separated keys): the page thanks
 * in that language and, when something waits, says to open the mail, naming the purposes by the titles
 * the form showed.
 */
const renderThanksPage = async (strapi, { language, receipt, pending, form: formKey = 'demo' }) => {
  const lang = LANGUAGES.includes(language) ? language : 'en';
  const t = labels[lang];
  const keys = pending ? String(pending).split(',').filter(Boolean) : [];
  let titles = keys;
  if (keys.length) {
    try {
      const form = await strapi.plugin('consent').service('forms').definition(formKey, lang);
      titles = keys.map((k) => form.purposes.find((p) => p.key === k)?.notice.title ?? k);
    } catch {
      // The form is not seeded: keys are still better than nothing.
    }
  }
  const waiting = keys.length
    ? `<p id="check-mail"><strong>${escape(t.checkMail)}${escape((t.colon ?? ': ').trimEnd())}</strong></p><ul>${titles.map((x) => `<li>${escape(x)}</li>`).join('')}</ul><p>${escape(t.untilConfirmed)}</p>`
    : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(t.title)}</title><style>${STYLE}</style></head>
<body><header class="site"><p>Example Shop</p></header><main>
<h1>${escape(t.thanks)}</h1>${waiting}<p>${escape(t.next)}</p><p>${escape(t.receipt)}${escape(t.colon ?? ': ')}<code id="receipt">${escape(receipt)}</code></p>
<p><a href="/demo?locale=${lang}">${escape(t.title)}</a></p></main></body></html>`;
};

module.exports = { renderDemoPage, renderThanksPage, labels, LANGUAGES, escape };
