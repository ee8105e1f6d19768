/** The words around the notices; the notices themselves come from the server, in the form's language. */
export interface ConsentLabels {
  /** Before the title of an opt-out purpose: the box is the objection (legitimate interest). */
  object: string;
  data: string;
  recipients: string;
  /** Between a label and what it names ("Data: email address"); French puts a no-break space before it. */
  colon?: string;
  policy: string;
  /** Beside a purpose whose notice changed while the page was open (after a 409). */
  changed: string;
  /** Shown when the browser sends Global Privacy Control (F1). */
  gpc: string;
  /** The age question of a form offered to children (G1), and the parent's address below the threshold (G2). */
  age: string;
  parentEmail: string;
  /** `{threshold}` is replaced by the form's age of digital consent. */
  parentHint: string;
  /** The site's own email field and send button around the purposes (the client renders neither). */
  email?: string;
  submit?: string;
}

export const defaultLabels: ConsentLabels = {
  object: 'I object:',
  data: 'Data',
  recipients: 'Recipients',
  policy: 'Privacy policy',
  changed: 'This text has changed since the page was opened. Please read it and choose again.',
  gpc: 'Your browser sends a Global Privacy Control signal: we record it as your objection to the uses it covers, unless you tick them here.',
  age: 'Your age',
  parentEmail: 'Email address of a parent or guardian',
  parentHint: 'Under {threshold}, a parent or guardian must agree: we will send them an email to confirm.',
  email: 'Email',
  submit: 'Send',
};

/**
 * The same words in the languages the plugin ships (en, de, fr), so that a form, the admin's preview and
 * the plugin's own pages say the same thing; anything else gets English.
 */
const TRANSLATED: Record<string, ConsentLabels> = {
  en: defaultLabels,
  de: {
    object: 'Ich widerspreche:',
    data: 'Daten',
    recipients: 'Empfänger',
    policy: 'Datenschutzerklärung',
    changed: 'Dieser Text wurde geändert, seit die Seite geöffnet wurde. Bitte lesen Sie ihn und wählen Sie erneut.',
    gpc: 'Ihr Browser sendet das Signal Global Privacy Control: Wir werten es als Ihren Widerspruch zu den betroffenen Verwendungen, sofern Sie diese hier nicht ankreuzen.',
    age: 'Dein Alter',
    parentEmail: 'E-Mail-Adresse eines Elternteils',
    parentHint: 'Unter {threshold} Jahren muss ein Elternteil zustimmen: Wir schicken ihm eine E-Mail zur Bestätigung.',
    email: 'E-Mail',
    submit: 'Absenden',
  },
  fr: {
    object: 'Je m’oppose :',
    data: 'Données',
    recipients: 'Destinataires',
    colon: '\u00a0: ',
    policy: 'Politique de confidentialité',
    changed: 'Ce texte a changé depuis l’ouverture de la page. Merci de le relire et de choisir à nouveau.',
    gpc: 'Votre navigateur envoie le signal Global Privacy Control : nous l’enregistrons comme votre opposition aux usages concernés, sauf si vous les cochez ici.',
    age: 'Ton âge',
    parentEmail: 'Adresse e-mail d’un parent',
    parentHint:
      'Avant {threshold} ans, un parent doit donner son accord : nous lui enverrons un e-mail de confirmation.',
    email: 'E-mail',
    submit: 'Envoyer',
  },
};

/** The hint under the parent's address, with the form's age of digital consent in it (G2). */
export const parentHintFor = (labels: Pick<ConsentLabels, 'parentHint'>, threshold: number): string =>
  labels.parentHint.replace('{threshold}', String(threshold));

/** The labels for a form's locale (`de-AT` reads German). */
export const labelsFor = (locale: string): ConsentLabels =>
  TRANSLATED[locale] ?? TRANSLATED[locale.split('-')[0]] ?? defaultLabels;
