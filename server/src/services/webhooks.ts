import type { Core } from '@strapi/strapi';
import { WEBHOOK_EVENT_NAMES } from '../../../shared/contracts/webhooks';
import type { StoredEvent } from './ledger';
import { identifiersOf, type Identifiers } from './subjects';
import { getService } from '../utils/get-service';
import { redactIdentifiers } from '../utils/redact';

/** `consent.granted`, `consent.withdrawn`, …: one event name per ledger action (spec 5). */
export const WEBHOOK_EVENTS = Object.fromEntries(
  WEBHOOK_EVENT_NAMES.map((name) => [name.replace('.', '_').toUpperCase(), name])
) as Record<string, string>;

const CONSENT_EVENTS = new Set<string>(WEBHOOK_EVENT_NAMES);
export const isConsentEvent = (name: string) => CONSENT_EVENTS.has(name);

/** Emitted on the event hub only (not a webhook): a submission with the form's other `fields`. */
export const SUBMISSION_EVENT = 'consent.submission';

/** The fields of a ledger event the payload carries, as the ledger holds them or as they are read back. */
export type PayloadEvent = Pick<
  StoredEvent,
  | 'eventId'
  | 'subject'
  | 'purpose'
  | 'channel'
  | 'action'
  | 'state'
  | 'method'
  | 'legalBasis'
  | 'formKey'
  | 'noticeId'
  | 'noticeVersion'
  | 'noticeHash'
  | 'noticeLanguage'
  | 'receiptId'
> & { seq: number | string; occurredAt: Date | string | number };

/**
 * The `consent` part of an event hub payload and of a webhook body (spec 5): the person by pseudonym and,
 * while they are known, by their identifiers, since a downstream list can only remove an address it is told.
 */
export const consentPayload = (event: PayloadEvent, identifiers: Identifiers | undefined) => ({
  eventId: event.eventId,
  seq: Number(event.seq),
  subject: { id: event.subject, ...identifiers },
  purpose: event.purpose,
  channel: event.channel,
  action: event.action,
  state: event.state,
  method: event.method,
  legalBasis: event.legalBasis,
  formKey: event.formKey ?? null,
  notice: event.noticeId
    ? {
        id: Number(event.noticeId),
        version: event.noticeVersion == null ? null : Number(event.noticeVersion),
        hash: event.noticeHash,
        locale: event.noticeLanguage,
      }
    : null,
  receiptId: event.receiptId ?? null,
  occurredAt: new Date(event.occurredAt).toISOString(),
});

/** The identifiers of these people as the subject table holds them now (none once erased). */
export const readIdentifiers = async (strapi: Core.Strapi, pseudonyms: string[]): Promise<Map<string, Identifiers>> => {
  const out = new Map<string, Identifiers>();
  if (pseudonyms.length === 0) return out;
  for (const s of await getService('subjects').identifiersOf(pseudonyms)) out.set(s.pseudonym, identifiersOf(s));
  return out;
};

/**
 * Every committed ledger event goes out on Strapi's event hub under `consent.<action>` for code in the
 * same process (fire and forget). Webhooks subscribed to these names in the admin are not posted by
 * Strapi's runner, which would lose a delivery to a receiver that is down: the ledger writes them to the
 * outbox in its own transaction and services/webhook-outbox delivers them with retries (D6, D7).
 */
const webhooks = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Makes the events valid webhook subscriptions, and keeps Strapi's webhook runner from listening to
   * them (register phase, before the runner loads the stored webhooks at bootstrap): it would post each
   * event a second time, once, without retry or signature. The runner keeps its list of webhooks per event;
   * only its event hub listener is not made, so admin API calls on webhooks work as before.
   */
  register() {
    const store = strapi.get('webhookStore');
    for (const [key, value] of Object.entries(WEBHOOK_EVENTS)) store.addAllowedEvent(key, value);
    const runner = strapi.get('webhookRunner') as { createListener(event: string): void };
    const createListener = runner.createListener.bind(runner);
    runner.createListener = (event: string) => {
      if (!isConsentEvent(event)) createListener(event);
    };
  },

  /**
   * Never throws: the events are committed; a failing listener must not turn that into an error. `known`
   * gives the identifiers of people the caller has at hand (the others are read).
   */
  async emit(events: StoredEvent[], known: Map<string, Identifiers> = new Map()): Promise<void> {
    try {
      const unknown = [...new Set(events.map((e) => e.subject))].filter((p) => !known.has(p));
      const identifiers = new Map([...known, ...(await readIdentifiers(strapi, unknown))]);
      for (const event of events) {
        strapi.eventHub.emit(`consent.${event.action}`, {
          consent: consentPayload(event, identifiers.get(event.subject)),
        });
      }
    } catch (error) {
      strapi.log.error(`[consent] could not emit ledger events: ${redactIdentifiers((error as Error).message)}`);
    }
  },
});

export default webhooks;
export type WebhooksService = ReturnType<typeof webhooks>;
