import type { EmailTemplate } from '../config/defaults';
import { escapeHtml } from '../utils/escape-html';

/**
 * The plugin's own mails. A confirmation mail holds the confirmation request and the sender's identity,
 * nothing else: no offer, no logo link, no "while you are here" (B2). Site owners can replace a text per
 * language in `email.templates.<name>.<locale>`; the placeholders below are filled in, HTML-escaped in `html`.
 */
export const PLACEHOLDERS = ['link', 'purposes', 'controllerName', 'controllerAddress', 'controllerContact', 'expiresHours'] as const;
export type MailValues = Record<(typeof PLACEHOLDERS)[number], string>;

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

export const DEFAULT_TEMPLATES: Record<string, Record<string, EmailTemplate>> = { confirmation };


const fill = (template: string, values: MailValues, escape: (v: string) => string) =>
  template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? escape(values[name as keyof MailValues]) : whole
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
