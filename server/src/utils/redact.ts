/**
 * Log lines leave the plugin's control (files, log shippers, support tickets) and outlive erasure, so
 * whatever the plugin logs from elsewhere, such as an SMTP server's refusal quoting the recipient, has
 * its email addresses and phone numbers replaced first.
 */
const EMAIL = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+\.[^\s<>()[\]"',;:@]+/g;
// Seven or more digits, optionally after `+`, with the separators people write numbers with.
const PHONE = /\+?\d(?:[\s().-]?\d){6,}/g;

export const redactIdentifiers = (text: string): string => text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
