import type { Channel } from '../../../shared/contracts/domain';

/**
 * No consent for a channel without its identifier (issue 15 part 5; A4, B5, N16). A consent to be
 * emailed is about an address, a consent to be called or texted is about a number: recorded without one,
 * it proves nothing about whoever is later reached on it (BGH I ZR 164/09: every consent fully
 * documented; an email confirmation does not prove phone consent).
 *
 * | channel        | identifier needed  |
 * | -------------- | ------------------ |
 * | `email`        | `subject.email`    |
 * | `sms`, `phone`, `automated-call`, `fax` | `subject.phone` (a fax number is a phone number) |
 * | `postal`, `push`, `web` | none the plugin holds (the site's own account reaches them) |
 *
 * The reading chosen for a purpose on several channels, ticked with only some identifiers: consent is
 * recorded for the channels whose identifier is present, and for none of the others (nothing is granted
 * for a channel the person could not be identified on). Only a purpose of which **no** channel can be
 * recorded is refused, with a 400 naming the missing field(s).
 */
export type ChannelIdentifier = 'email' | 'phone';

export const IDENTIFIER_OF_CHANNEL: Readonly<Partial<Record<Channel, ChannelIdentifier>>> = {
  email: 'email',
  sms: 'phone',
  phone: 'phone',
  'automated-call': 'phone',
  fax: 'phone',
};

/** The identifier the person must have given for consent on this channel, if any. */
export const identifierFor = (channel: Channel): ChannelIdentifier | null => IDENTIFIER_OF_CHANNEL[channel] ?? null;

/** Does the person have what consent on this channel is about? */
export const channelReachable = (
  channel: Channel,
  identifiers: Partial<Record<ChannelIdentifier, string | null | undefined>>
): boolean => {
  const needed = identifierFor(channel);
  return !needed || !!identifiers[needed];
};

export type ChannelDecision =
  /** Record consent for these channels (every channel of the purpose, or the ones with their identifier). */
  | { ok: true; channels: Channel[]; dropped: Channel[] }
  /** No channel of the purpose can be recorded: the missing fields, as `subject.email` / `subject.phone`. */
  | { ok: false; missing: `subject.${ChannelIdentifier}`[] };

/** Which channels of a purpose a grant may be recorded on, given the person's identifiers. */
export const grantableChannels = (
  channels: readonly Channel[],
  identifiers: Partial<Record<ChannelIdentifier, string | null | undefined>>
): ChannelDecision => {
  const kept = channels.filter((c) => channelReachable(c, identifiers));
  if (kept.length === 0 && channels.length > 0) {
    const missing = [...new Set(channels.map((c) => identifierFor(c)!))].map((id) => `subject.${id}` as const);
    return { ok: false, missing };
  }
  return { ok: true, channels: kept, dropped: channels.filter((c) => !kept.includes(c)) };
};
