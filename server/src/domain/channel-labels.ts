import type { Channel } from '../../../shared/contracts/domain';

/**
 * The label of each channel's box when a purpose on several channels is offered one box per channel (A4):
 * "Email", "SMS", "Telefon"… in the form's language (en, de, fr; anything else gets English).
 */
export const CHANNEL_LABELS: Readonly<Record<'en' | 'de' | 'fr', Record<Channel, string>>> = {
  en: {
    email: 'By email',
    sms: 'By text message (SMS)',
    phone: 'By phone call',
    postal: 'By post',
    push: 'By push notification',
    web: 'On the website',
    'automated-call': 'By automated call',
    fax: 'By fax',
  },
  de: {
    email: 'Per E-Mail',
    sms: 'Per SMS',
    phone: 'Per Telefonanruf',
    postal: 'Per Post',
    push: 'Per Push-Benachrichtigung',
    web: 'Auf der Website',
    'automated-call': 'Per automatisiertem Anruf',
    fax: 'Per Fax',
  },
  fr: {
    email: 'Par e-mail',
    sms: 'Par SMS',
    phone: 'Par téléphone',
    postal: 'Par courrier',
    push: 'Par notification push',
    web: 'Sur le site',
    'automated-call': 'Par appel automatisé',
    fax: 'Par fax',
  },
};

export const channelLabel = (channel: Channel, locale: string | undefined): string => {
  const language = (locale ?? 'en').split('-')[0].toLowerCase();
  const table = CHANNEL_LABELS[language as keyof typeof CHANNEL_LABELS] ?? CHANNEL_LABELS.en;
  return table[channel];
};

/** One box per channel for a purpose with a choice on more than one channel; none otherwise. */
export const channelBoxes = (
  purpose: { mechanism: string; channels: readonly Channel[] },
  locale: string | undefined
): { channel: Channel; label: string }[] | undefined =>
  purpose.mechanism !== 'none' && purpose.channels.length > 1
    ? purpose.channels.map((channel) => ({ channel, label: channelLabel(channel, locale) }))
    : undefined;
