import { escapeHtml } from '../utils/escape-html';

/**
 * Rules of consent-gated sending (services/messages.ts): what a template must contain, how it is filled
 * in for one recipient, and what a recipient row left mid-send becomes after a restart.
 */

export interface MessageTemplate {
  subject: string;
  html: string;
  text: string;
}

/**
 * What a message is. `marketing` (the public route's only kind) must carry `{{unsubscribeUrl}}` in every
 * body part (D4, E6) and gets the one-click headers (E1). `system` is for the plugin's own callers (a
 * re-permission request is marketing too, D10, so it stays `marketing`; `system` is a mail that is about
 * the consent itself and names its own placeholders).
 */
export const MESSAGE_KINDS = ['marketing', 'system'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The placeholder every marketing template must carry, filled per recipient (with `preferencesUrl`). */
export const OPT_OUT_PLACEHOLDER = 'unsubscribeUrl';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

const has = (body: string, name: string) => new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`).test(body);

/**
 * D4, E6: the body parts of a marketing template that lack the visible opt-out link, as request paths
 * (`template.html`, `template.text`). Both parts are checked: a client showing either must show the link.
 */
export const missingOptOut = (
  template: Pick<MessageTemplate, 'html' | 'text'>,
  kind: MessageKind = 'marketing'
): ('html' | 'text')[] =>
  kind === 'marketing' ? (['html', 'text'] as const).filter((part) => !has(template[part], OPT_OUT_PLACEHOLDER)) : [];

/** The size a template counts against `messages.maxTemplateBytes`: its three parts in UTF-8. */
export const templateBytes = (template: MessageTemplate): number =>
  Buffer.byteLength(template.subject, 'utf8') +
  Buffer.byteLength(template.html, 'utf8') +
  Buffer.byteLength(template.text, 'utf8');

/**
 * Every mail the plugin sends is filled in here (the messages service per recipient, the plugin's own mails
 * in mail-templates.ts): each known `{{name}}` (spaces inside the braces allowed) replaced, HTML-escaped in
 * the HTML part so a value can never open an element or an attribute, raw in the text part, on one line
 * in the subject (no header injection). Unknown placeholders are left as written (a later pass fills
 * them); a template without an HTML part gets none.
 */
export const renderMessage = <T extends Pick<MessageTemplate, 'subject' | 'text'> & { html?: string }>(
  template: T,
  values: Readonly<Record<string, string | undefined>>
): Pick<T, 'subject' | 'text' | 'html'> => {
  const fill = (body: string, escape: (v: string) => string) =>
    body.replace(PLACEHOLDER, (whole, name: string) =>
      Object.prototype.hasOwnProperty.call(values, name) ? escape(values[name] ?? '') : whole
    );
  return {
    subject: fill(template.subject, (v) => v.replace(/[\r\n]+/g, ' ')),
    text: fill(template.text, (v) => v),
    ...(template.html === undefined ? {} : { html: fill(template.html, escapeHtml) }),
  } as Pick<T, 'subject' | 'text' | 'html'>;
};

/** A recipient row's life: queued → claimed (a worker holds it) → sending (handed to SMTP) → sent | failed; or skipped. */
export const RECIPIENT_STATUSES = ['queued', 'claimed', 'sending', 'sent', 'skipped', 'failed'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** The statuses a caller sees and filters by: `claimed` and `sending` are both in flight, `sending`. */
export const RECIPIENT_FILTERS = ['queued', 'sending', 'sent', 'skipped', 'failed'] as const;
export type RecipientFilter = (typeof RECIPIENT_FILTERS)[number];

/** Why a row failed: the provider refused the mail, or the instance stopped while it was being handed over. */
export const FAILURE_REASONS = {
  provider: 'provider-error',
  interrupted: 'interrupted',
  noAddress: 'no-address',
} as const;

/**
 * At most once (D1, D10: a mail sent twice to someone who left in between is a mail without a basis).
 * A row whose claim went stale was never handed to the mail provider if it is still `claimed`: it is
 * queued again. A row still `sending` may or may not have left: it is never sent again but recorded
 * `failed` with `interrupted`, for a person to look at. Everything else stays as it is.
 */
export const recoveredStatus = (status: RecipientStatus): { status: RecipientStatus; reason?: string } | null => {
  if (status === 'claimed') return { status: 'queued' };
  if (status === 'sending') return { status: 'failed', reason: FAILURE_REASONS.interrupted };
  return null;
};

/** The job's status as the API tells it, from its recipients' counts. */
export const jobStatus = (
  counts: { total: number; queued: number; inFlight: number },
  started: boolean
): 'queued' | 'sending' | 'done' => {
  if (counts.queued === 0 && counts.inFlight === 0) return 'done';
  return started || counts.queued < counts.total ? 'sending' : 'queued';
};
