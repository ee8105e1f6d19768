import type { EmailTemplate } from '../config/defaults';
import { escapeHtml } from '../utils/escape-html';

/**
 * The plugin's own mails: `confirmation` (double opt-in) and `repermission` (I4: the one question, before a
 * subscriber's three years end, whether they want to go on). Each holds its request and the sender's
 * identity, nothing else: no offer, no logo link, no "while you are here" (B2). Site owners can replace a
 * text per language in `email.templates.<name>.<locale>`; the placeholders below are filled in,
 * HTML-escaped in `html`. Both must keep `{{link}}`, the only way to answer.
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
export const MAIL_TEMPLATES = ['confirmation', 'repermission'] as const;

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
      '',
      '{{controllerName}}, {{controllerAddress}}, {{controllerContact}}',
    ].join('\n'),
  },
};

export const DEFAULT_TEMPLATES: Record<string, Record<string, EmailTemplate>> = { confirmation, repermission };


const fill = (template: string, values: MailValues, escape: (v: string) => string) =>
  template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? escape(values[name as keyof MailValues] ?? '') : whole
  );

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

export const renderMail = (template: EmailTemplate, values: MailValues) => ({
  subject: fill(template.subject, values, (v) => v.replace(/[\r\n]+/g, ' ')),
  text: fill(template.text, values, (v) => v),
  ...(template.html ? { html: fill(template.html, values, escapeHtml) } : {}),
});
