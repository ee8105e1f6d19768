/**
 * The playground's demo content (in the shape of the admin API: spec 4.3): four purposes that show the four regimes of the seed article
 * (newsletter by email with double opt-in, partner offers, postal mailing under legitimate interest,
 * telephone prospecting), the kids club's news for its children's form, one notice per purpose in English,
 * German and French, and the forms.
 */
const PRIVACY_POLICY_URL = 'http://localhost:1337/demo/privacy';

const purposes = [
  {
    key: 'newsletter',
    name: 'Newsletter',
    description: 'Our monthly newsletter by email.',
    translations: {
      de: { name: 'Newsletter', description: 'Unser monatlicher Newsletter per E-Mail.' },
      fr: { name: 'Lettre d’information', description: 'Notre lettre d’information mensuelle par e-mail.' },
    },
    legalBasis: 'consent',
    channels: ['email'],
    audience: 'any',
    doubleOptIn: true,
    honorGpc: true,
    lifetimeDays: 1095,
  },
  {
    key: 'partner-offers',
    name: 'Partner offers',
    description: 'Offers from our named partners, sent by us by email.',
    translations: {
      de: {
        name: 'Angebote von Partnern',
        description: 'Angebote unserer namentlich genannten Partner, von uns per E-Mail versandt.',
      },
      fr: {
        name: 'Offres des partenaires',
        description: 'Offres de nos partenaires nommés, envoyées par nous par e-mail.',
      },
    },
    legalBasis: 'consent',
    channels: ['email'],
    audience: 'consumer',
    honorGpc: true,
    lifetimeDays: 1095,
  },
  {
    key: 'postal-mailing',
    name: 'Postal mailing',
    description: 'Our catalogue by post. You can object at any time.',
    translations: {
      de: { name: 'Werbung per Post', description: 'Unser Katalog per Post. Sie können jederzeit widersprechen.' },
      fr: {
        name: 'Courrier postal',
        description: 'Notre catalogue par courrier. Vous pouvez vous y opposer à tout moment.',
      },
    },
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-2026-01 (balancing test of 12 January 2026)',
    channels: ['postal'],
    audience: 'any',
  },
  {
    key: 'phone-prospecting',
    name: 'Telephone offers',
    description: 'Calls about our offers. Numbers on an opposition list (Bloctel) are never called.',
    translations: {
      de: { name: 'Telefonische Angebote', description: 'Anrufe zu unseren Angeboten.' },
      fr: {
        name: 'Prospection téléphonique',
        description: 'Appels au sujet de nos offres. Les numéros inscrits sur Bloctel ne sont jamais appelés.',
      },
    },
    legalBasis: 'consent',
    channels: ['phone'],
    audience: 'consumer',
    lifetimeDays: 730,
  },
  {
    // The children's form's one purpose (G1–G6): club news a child may want, nothing shared with partners
    // and no calls. Consent is direct marketing, so a child's grant is not used until the site owner
    // allows marketing to children (children.directMarketing).
    key: 'kids-club-news',
    name: 'Kids club news',
    description: 'The kids club’s monthly email: activities, events and competitions.',
    translations: {
      de: {
        name: 'Neues vom Kinderclub',
        description: 'Die monatliche E-Mail des Kinderclubs: Aktionen, Treffen und Wettbewerbe.',
      },
      fr: {
        name: 'Nouvelles du club des enfants',
        description: 'L’e-mail mensuel du club des enfants : activités, rencontres et concours.',
      },
    },
    legalBasis: 'consent',
    channels: ['email'],
    audience: 'any',
    doubleOptIn: true,
    honorGpc: true,
    lifetimeDays: 365,
  },
];

const texts = {
  newsletter: {
    en: ['Newsletter by email', 'I would like to receive the monthly newsletter of Example Shop SAS by email.'],
    de: ['Newsletter per E-Mail', 'Ich möchte den monatlichen Newsletter der Example Shop SAS per E-Mail erhalten.'],
    fr: [
      'Lettre d’information par e-mail',
      'Je souhaite recevoir la lettre d’information mensuelle d’Example Shop SAS par e-mail.',
    ],
  },
  'partner-offers': {
    en: [
      'Offers from our partners',
      'I would like Example Shop SAS to email me offers from its partners listed below. My address is not passed on to them.',
    ],
    de: [
      'Angebote unserer Partner',
      'Ich möchte, dass mir die Example Shop SAS Angebote der unten genannten Partner per E-Mail sendet. Meine Adresse wird nicht an sie weitergegeben.',
    ],
    fr: [
      'Offres de nos partenaires',
      'Je souhaite qu’Example Shop SAS m’envoie par e-mail les offres des partenaires listés ci-dessous. Mon adresse ne leur est pas transmise.',
    ],
  },
  'postal-mailing': {
    en: ['Catalogue by post', 'Example Shop SAS sends its catalogue by post to its customers (legitimate interest).'],
    de: [
      'Katalog per Post',
      'Die Example Shop SAS sendet ihren Katalog per Post an ihre Kunden (berechtigtes Interesse).',
    ],
    fr: [
      'Catalogue par courrier',
      'Example Shop SAS envoie son catalogue par courrier à ses clients (intérêt légitime).',
    ],
  },
  'phone-prospecting': {
    en: [
      'Offers by telephone',
      'I agree that Example Shop SAS may call me about its offers. You may also register your number free of charge on the Bloctel opposition list.',
    ],
    de: ['Angebote per Telefon', 'Ich bin einverstanden, dass die Example Shop SAS mich zu ihren Angeboten anruft.'],
    fr: [
      'Offres par téléphone',
      'J’accepte qu’Example Shop SAS m’appelle au sujet de ses offres. Vous pouvez aussi inscrire gratuitement votre numéro sur la liste d’opposition Bloctel.',
    ],
  },
  // Written for the child who reads it (Art. 12(1), Recital 58: clear and plain language).
  'kids-club-news': {
    en: [
      'Kids club news by email',
      'Once a month, Example Shop SAS sends you an email about the kids club: new activities, meetings and competitions. We use your email address for nothing else and give it to nobody.',
    ],
    de: [
      'Neues vom Kinderclub per E-Mail',
      'Einmal im Monat schickt dir die Example Shop SAS eine E-Mail über den Kinderclub: neue Aktionen, Treffen und Wettbewerbe. Deine E-Mail-Adresse nutzen wir für nichts anderes und geben sie niemandem.',
    ],
    fr: [
      'Les nouvelles du club des enfants par e-mail',
      'Une fois par mois, Example Shop SAS t’envoie un e-mail sur le club des enfants : nouvelles activités, rencontres et concours. Nous n’utilisons ton adresse e-mail pour rien d’autre et ne la donnons à personne.',
    ],
  },
};

const dataCategories = {
  'kids-club-news': { en: ['email address'], de: ['E-Mail-Adresse'], fr: ['adresse e-mail'] },
  newsletter: { en: ['email address'], de: ['E-Mail-Adresse'], fr: ['adresse e-mail'] },
  'partner-offers': { en: ['email address'], de: ['E-Mail-Adresse'], fr: ['adresse e-mail'] },
  'postal-mailing': { en: ['name', 'postal address'], de: ['Name', 'Postanschrift'], fr: ['nom', 'adresse postale'] },
  'phone-prospecting': { en: ['telephone number'], de: ['Telefonnummer'], fr: ['numéro de téléphone'] },
};

const recipients = {
  'partner-offers': ['Example Bank SA', 'Example Travel GmbH'],
};

// The kids club's notices speak to the child (du, tu): so does its sentence on withdrawal, where the
// standard one (domain/withdrawal-text.ts) addresses an adult.
const withdrawalTexts = {
  'kids-club-news': {
    en: 'You can stop these emails whenever you like, for free: click the link at the bottom of each email, or ask a parent to do it. Stopping does not undo the emails you already got.',
    de: 'Du kannst diese E-Mails jederzeit kostenlos abbestellen: Klick auf den Link unten in jeder E-Mail, oder bitte einen Elternteil darum. Die E-Mails, die du schon bekommen hast, bleiben davon unberührt.',
    fr: 'Tu peux arrêter ces e-mails quand tu veux, gratuitement : clique sur le lien en bas de chaque e-mail, ou demande à un parent de le faire. Arrêter n’efface pas les e-mails que tu as déjà reçus.',
  },
};

const notices = Object.entries(texts).flatMap(([purpose, byLanguage]) =>
  Object.entries(byLanguage).map(([locale, [title, body]]) => ({
    purpose,
    locale,
    title,
    body,
    dataCategories: dataCategories[purpose][locale],
    recipients: recipients[purpose] ?? [],
    privacyPolicyUrl: PRIVACY_POLICY_URL,
    ...(withdrawalTexts[purpose] ? { withdrawalText: withdrawalTexts[purpose][locale] } : {}),
  }))
);

const form = {
  key: 'demo',
  name: 'Demo sign-up form',
  purposes: ['newsletter', 'partner-offers', 'postal-mailing', 'phone-prospecting'],
  allowedOrigins: ['http://localhost:1337', 'http://127.0.0.1:1337'],
  successUrl: 'http://localhost:1337/demo/thanks',
  privacyPolicyUrl: PRIVACY_POLICY_URL,
  doubleOptIn: true,
};

/** The form behind the contact-request route's consent hook (src/api/contact-request). */
const contactForm = {
  key: 'contact',
  name: 'Contact form',
  purposes: ['newsletter', 'partner-offers'],
  allowedOrigins: form.allowedOrigins,
  privacyPolicyUrl: PRIVACY_POLICY_URL,
};

/** The form behind the order route's consent hook, which also records the order as a contract (src/api/order). */
const checkoutForm = {
  key: 'checkout',
  name: 'Checkout',
  purposes: ['newsletter'],
  allowedOrigins: form.allowedOrigins,
  privacyPolicyUrl: PRIVACY_POLICY_URL,
};

/**
 * A form offered directly to children (G1, G2): it asks for the age first; below France's age of digital
 * consent (15) a parent confirms from a mail before anything is granted. The thanks page names the form
 * so it can title the purposes waiting for confirmation.
 */
const kidsClubForm = {
  key: 'kids-club',
  name: 'Kids club',
  purposes: ['kids-club-news'],
  allowedOrigins: form.allowedOrigins,
  successUrl: 'http://localhost:1337/demo/thanks?form=kids-club',
  privacyPolicyUrl: PRIVACY_POLICY_URL,
  doubleOptIn: true,
  offeredToChildren: true,
  childrenCountry: 'FR',
};

module.exports = { purposes, notices, forms: [form, contactForm, checkoutForm, kidsClubForm] };
