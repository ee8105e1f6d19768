import type { EmailTemplate } from '../config/defaults';
import { escapeHtml } from '../utils/escape-html';
import { renderMessage, type MessageTemplate } from './message-rules';

/**
 * The plugin's own mails: `confirmation` (double opt-in) and `repermission` (I4: the one question, before a
 * subscriber's three years end, whether they want to go on). Each holds its request and the sender's
 * identity, nothing else: no offer, no logo link, no "while you are here" (B2). Site owners can replace a
 * text per language in `email.templates.<name>.<locale>`; the placeholders below are filled in,
 * HTML-escaped in `html`. Each must keep `{{link}}`, the only way to answer. `repermission` is marketing
 * (D10) and goes through the messages service, which also fills `{{unsubscribeUrl}}` (required there) and
 * `{{preferencesUrl}}` per recipient.
 */
export const PLACEHOLDERS = [
  'link',
  'purposes',
  'controllerName',
  'controllerAddress',
  'controllerContact',
  'expiresHours',
  'preferencesLink',
  'deadline',
] as const;
export type MailValues = Partial<Record<(typeof PLACEHOLDERS)[number], string>>;
/** The template names the plugin sends; each must contain `{{link}}`. */
export const MAIL_TEMPLATES = ['confirmation', 'repermission', 'parental-consent'] as const;
/**
 * D4, D10: the plugin's mails that are marketing, sent through the messages service, which fills in
 * `{{unsubscribeUrl}}` (and `{{preferencesUrl}}`) per recipient: each must also contain `{{unsubscribeUrl}}`.
 */
export const MARKETING_TEMPLATES = ['repermission'] as const;

const confirmation: Record<'en' | 'de' | 'fr', EmailTemplate> = {
  en: {
    subject: 'Please confirm your request',
    text: [
      'Hello,',
      '',
      'someone, probably you, asked {{controllerName}} to contact you at this address for:',
      '{{purposes}}',
      '',
      'To confirm, open this link (valid for {{expiresHours}} hours) and press "Confirm":',
      '{{link}}',
      '',
      'If it was not you, ignore this message: nothing will be sent to you and the request will be deleted.',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
  de: {
    subject: 'Bitte bestätigen Sie Ihre Anfrage',
    text: [
      'Guten Tag,',
      '',
      'jemand, vermutlich Sie, hat {{controllerName}} gebeten, Sie unter dieser Adresse zu kontaktieren für:',
      '{{purposes}}',
      '',
      'Zur Bestätigung öffnen Sie diesen Link ({{expiresHours}} Stunden gültig) und klicken Sie auf „Bestätigen“:',
      '{{link}}',
      '',
      'Falls Sie das nicht waren, ignorieren Sie diese Nachricht: Sie erhalten nichts, und die Anfrage wird gelöscht.',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
  fr: {
    subject: 'Merci de confirmer votre demande',
    text: [
      'Bonjour,',
      '',
      'quelqu’un, probablement vous, a demandé à {{controllerName}} de vous contacter à cette adresse pour :',
      '{{purposes}}',
      '',
      'Pour confirmer, ouvrez ce lien (valable {{expiresHours}} heures) et cliquez sur « Confirmer » :',
      '{{link}}',
      '',
      'Si ce n’était pas vous, ignorez ce message : vous ne recevrez rien et la demande sera supprimée.',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
};

/**
 * I4: no pressure, no offer; silence means the data goes (the CNIL asks for a positive, explicit answer),
 * so the mail says so, and says when.
 */
const repermission: Record<'en' | 'de' | 'fr', EmailTemplate> = {
  en: {
    subject: 'Do you still want to hear from us?',
    text: [
      'Hello,',
      '',
      'you agreed to hear from {{controllerName}} about:',
      '{{purposes}}',
      '',
      'We have not heard from you for a long time. If you want to go on, open this link and press "Keep me subscribed":',
      '{{link}}',
      '',
      'Without an answer by {{deadline}}, we will stop and delete your contact details. Nothing else to do.',
      'To choose what you receive instead: {{preferencesLink}}',
      'To stop hearing from us about this now: {{unsubscribeUrl}}',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
  de: {
    subject: 'Möchten Sie weiterhin von uns hören?',
    text: [
      'Guten Tag,',
      '',
      'Sie haben eingewilligt, von {{controllerName}} Nachrichten zu erhalten über:',
      '{{purposes}}',
      '',
      'Wir haben lange nichts von Ihnen gehört. Wenn Sie weiterhin Nachrichten erhalten möchten, öffnen Sie diesen Link und klicken Sie auf „Weiterhin erhalten“:',
      '{{link}}',
      '',
      'Ohne Antwort bis zum {{deadline}} beenden wir den Versand und löschen Ihre Kontaktdaten. Sie müssen dafür nichts tun.',
      'Um stattdessen auszuwählen, was Sie erhalten: {{preferencesLink}}',
      'Um diese Nachrichten sofort abzubestellen: {{unsubscribeUrl}}',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
  fr: {
    subject: 'Souhaitez-vous continuer à recevoir nos messages ?',
    text: [
      'Bonjour,',
      '',
      'vous avez accepté de recevoir des messages de {{controllerName}} pour :',
      '{{purposes}}',
      '',
      'Nous n’avons pas eu de nouvelles de votre part depuis longtemps. Pour continuer, ouvrez ce lien et cliquez sur « Continuer à recevoir » :',
      '{{link}}',
      '',
      'Sans réponse de votre part avant le {{deadline}}, nous cesserons nos envois et supprimerons vos coordonnées. Vous n’avez rien à faire pour cela.',
      'Pour choisir plutôt ce que vous recevez : {{preferencesLink}}',
      'Pour ne plus recevoir ces messages dès maintenant : {{unsubscribeUrl}}',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
};

/**
 * G2, G4: to the address a child gave as their parent's. It says that a child asked, what for, that nothing
 * happens without the parent, and that ignoring it is enough. Only the confirming button on the page
 * grants: the link alone changes nothing (mail scanners open links).
 */
const parentalConsent: Record<'en' | 'de' | 'fr', EmailTemplate> = {
  en: {
    subject: 'Your child asked to hear from {{controllerName}}: your consent is needed',
    text: [
      'Hello,',
      '',
      'a child gave this address as the address of a parent or guardian and asked {{controllerName}} to be contacted about:',
      '{{purposes}}',
      '',
      'Because of the child\'s age, the law asks for the consent of a holder of parental responsibility. If you are, and you agree, open this link (valid for {{expiresHours}} hours) and press "I consent":',
      '{{link}}',
      '',
      'If you do not agree, or you do not know this request, ignore this message: the child will not be contacted.',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
  de: {
    subject: 'Ihr Kind möchte Nachrichten von {{controllerName}} erhalten: Ihre Einwilligung ist nötig',
    text: [
      'Guten Tag,',
      '',
      'ein Kind hat diese Adresse als Adresse eines Elternteils angegeben und {{controllerName}} gebeten, es zu kontaktieren über:',
      '{{purposes}}',
      '',
      'Wegen des Alters des Kindes verlangt das Gesetz die Einwilligung eines Trägers der elterlichen Verantwortung. Wenn Sie das sind und einverstanden sind, öffnen Sie diesen Link ({{expiresHours}} Stunden gültig) und klicken Sie auf „Ich willige ein“:',
      '{{link}}',
      '',
      'Wenn Sie nicht einverstanden sind oder diese Anfrage nicht kennen, ignorieren Sie diese Nachricht: Das Kind wird nicht kontaktiert.',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
  fr: {
    subject: 'Votre enfant souhaite recevoir des messages de {{controllerName}} : votre consentement est nécessaire',
    text: [
      'Bonjour,',
      '',
      'un enfant a indiqué cette adresse comme celle d’un parent et a demandé à {{controllerName}} d’être contacté pour :',
      '{{purposes}}',
      '',
      'En raison de l’âge de l’enfant, la loi exige le consentement d’un titulaire de l’autorité parentale. Si c’est votre cas et que vous êtes d’accord, ouvrez ce lien (valable {{expiresHours}} heures) et cliquez sur « Je consens » :',
      '{{link}}',
      '',
      'Si vous n’êtes pas d’accord, ou si vous ne connaissez pas cette demande, ignorez ce message : l’enfant ne sera pas contacté.',
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
};

export const DEFAULT_TEMPLATES: Record<string, Record<string, EmailTemplate>> = {
  confirmation,
  repermission,
  'parental-consent': parentalConsent,
};

/** The template for a language: the site owner's override, else the plugin's, else English. */
export const pickTemplate = (
  name: string,
  language: string,
  overrides: Record<string, Record<string, EmailTemplate>>
): { template: EmailTemplate; language: string } => {
  const base = language.split('-')[0];
  for (const source of [overrides[name] ?? {}, DEFAULT_TEMPLATES[name] ?? {}]) {
    for (const candidate of [language, base]) {
      if (source[candidate]) return { template: source[candidate], language: candidate };
    }
  }
  const fallback = overrides[name]?.en ?? DEFAULT_TEMPLATES[name].en;
  return { template: fallback, language: 'en' };
};

/**
 * The HTML part of a plugin mail for the messages service, which sends both parts: the template's own, or
 * its text, escaped, a paragraph per blank-line-separated block. Placeholders survive escaping (`{{…}}`
 * has nothing to escape) and are filled in later, escaped again as values.
 */
export const htmlOf = (template: EmailTemplate): string =>
  template.html ??
  template.text
    .split(/\n{2,}/)
    .map((block) => `<p>${block.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');

/**
 * Fills in what is the same for every recipient (`values`), leaving every other `{{placeholder}}` for the
 * messages service to fill per recipient. Escaping as in `renderMail` (message-rules.ts, `renderMessage`).
 */
export const prefillForMessages = (template: EmailTemplate, values: MailValues): MessageTemplate =>
  renderMessage({ subject: template.subject, text: template.text, html: htmlOf(template) }, values);

/** A plugin mail sent on its own (the confirmation and the parent's mail): the HTML part only if the template has one. */
export const renderMail = (template: EmailTemplate, values: MailValues) =>
  renderMessage({ subject: template.subject, text: template.text, html: template.html }, values);
