import type { Core } from '@strapi/strapi';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { pickTemplate, renderMail, type MailValues } from '../domain/mail-templates';
import { redactIdentifiers } from './redact';

/**
 * Sends one of the plugin's own mails (domain/mail-templates.ts) through Strapi's email plugin, so any
 * provider the site configured carries it: the template in the person's language (or the nearest one),
 * the controller's identity filled in, from `email.from` and `email.replyTo` when set. A failure is logged
 * without identifiers and answered `false`; the caller decides what a mail that did not go means.
 */
export const sendPluginMail = async (
  strapi: Core.Strapi,
  mail: {
    template: string;
    to: string;
    language: string;
    values: (language: string) => Promise<MailValues> | MailValues;
    about: string;
  }
): Promise<boolean> => {
  const cfg = strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
  const { template, language } = pickTemplate(mail.template, mail.language, cfg.email.templates);
  const rendered = renderMail(template, {
    controllerName: cfg.controller.name,
    controllerAddress: cfg.controller.address,
    controllerContact: cfg.controller.contact,
    ...(await mail.values(language)),
  });
  return sendMail(strapi, { to: mail.to, ...rendered }, mail.about);
};

/**
 * Hands one mail to Strapi's email plugin, from `email.from` and `email.replyTo` when set: the plugin's
 * own mails (above) and the messages of a send (services/messages.ts). A failure is logged without
 * identifiers, as "`about` could not be sent", and answered `false`.
 */
export const sendMail = async (
  strapi: Core.Strapi,
  { to, ...content }: { to: string } & Record<string, unknown>,
  about: string
): Promise<boolean> => {
  const cfg = strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
  try {
    await strapi
      .plugin('email')
      .service('email')
      .send({
        to,
        ...(cfg.email.from ? { from: cfg.email.from } : {}),
        ...(cfg.email.replyTo ? { replyTo: cfg.email.replyTo } : {}),
        ...content,
      });
    return true;
  } catch (error) {
    strapi.log.error(`[consent] ${about} could not be sent: ${redactIdentifiers((error as Error).message)}`);
    return false;
  }
};
