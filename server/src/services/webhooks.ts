import type { Core } from '@strapi/strapi';
import { WEBHOOK_EVENT_NAMES } from '../../../shared/contracts/webhooks';
import { UID } from '../constants';
import type { StoredEvent } from './ledger';
import { identifiersOf, type Identifiers, type SubjectRow } from './subjects';
import { redactIdentifiers } from '../utils/redact';

/** `consent.granted`, `consent.withdrawn`, …: one event name per ledger action (spec 5). */
export const WEBHOOK_EVENTS = Object.fromEntries(
  WEBHOOK_EVENT_NAMES.map((name) => [name.replace('.', '_').toUpperCase(), name])
) as Record<string, string>;

/** Emitted on the event hub only (not a webhook): a submission with the form's other `fields`. */
export const SUBMISSION_EVENT = 'consent.submission';

/**
 * Every committed ledger event goes out on Strapi's event hub under `consent.<action>`, which is also
 * what Strapi's webhook runner listens to: admins subscribe a CRM or an ESP to these events like to
 * `entry.create` (D7). The payload names the person by pseudonym and, while they are known, by their
 * identifiers, since a downstream list can only remove an address it is told.
 */
const webhooks = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Makes the events valid webhook subscriptions (register phase). */
  register() {
    const store = strapi.get('webhookStore');
    for (const [key, value] of Object.entries(WEBHOOK_EVENTS)) store.addAllowedEvent(key, value);
  },

  /**
   * Never throws: the events are committed; a failing listener must not turn that into an error. `known`
   * gives the identifiers of people the caller has at hand (the others are read).
   */
  async emit(events: StoredEvent[], known: Map<string, Identifiers> = new Map()): Promise<void> {
    try {
      const identifiers = new Map(known);
      const unknown = [...new Set(events.map((e) => e.subject))].filter((p) => !known.has(p));
      const subjects = unknown.length
        ? await strapi.db.query(UID.subject).findMany({
            select: ['pseudonym', 'email', 'phone', 'externalId'],
            where: { pseudonym: { $in: unknown } },
          })
        : [];
      for (const s of subjects as SubjectRow[]) identifiers.set(s.pseudonym, identifiersOf(s));
      for (const event of events) {
        strapi.eventHub.emit(`consent.${event.action}`, {
          consent: {
            eventId: event.eventId,
            seq: event.seq,
            subject: { id: event.subject, ...identifiers.get(event.subject) },
            purpose: event.purpose,
            channel: event.channel,
            action: event.action,
            state: event.state,
            method: event.method,
            legalBasis: event.legalBasis,
            formKey: event.formKey ?? null,
            notice: event.noticeId
              ? { id: event.noticeId, version: event.noticeVersion, hash: event.noticeHash, locale: event.noticeLanguage }
              : null,
            receiptId: event.receiptId ?? null,
            occurredAt: event.occurredAt.toISOString(),
          },
        });
      }
    } catch (error) {
      strapi.log.error(`[consent] could not emit ledger events: ${redactIdentifiers((error as Error).message)}`);
    }
  },
});

export default webhooks;
export type WebhooksService = ReturnType<typeof webhooks>;
