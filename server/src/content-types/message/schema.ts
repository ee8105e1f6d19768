import { defineContentType } from '../define';

/**
 * A consent-gated send (`POST /api/consent/messages`, services/messages.ts, its only writer): the
 * template, the purpose it relies on, and who asked. Its recipients are rows of `consent_message_recipients`;
 * the counts are read from them, so a restart can never leave them out of step.
 */
export default defineContentType({
  collectionName: 'consent_messages',
  singularName: 'message',
  pluralName: 'messages',
  displayName: 'Message',
  description: 'A consent-gated send and its template; one row per recipient in consent_message_recipients.',
  attributes: {
    purpose: { type: 'string', required: true, maxLength: 64 },
    channel: { type: 'string', required: true, maxLength: 16 },
    kind: { type: 'string', required: true, maxLength: 16 },
    /** `preparing` while an audience is being read into recipient rows (not yet visible to workers), then `queued`, `sending`, `done`; `failed` when the audience was never read whole (nothing sent). */
    status: { type: 'string', required: true, maxLength: 16 },
    subject: { type: 'text', required: true },
    html: { type: 'text', required: true },
    text: { type: 'text', required: true },
    /** The audience the recipients were read from (its purpose key), or null for a given list. */
    audience: { type: 'string', maxLength: 64 },
    total: { type: 'integer', required: true },
    /** Who asked: `api-token:<id>`, `user:<id>`, `admin:<id>` or `system` (never a person's data). */
    actor: { type: 'string', required: true, maxLength: 64 },
    startedAt: { type: 'datetime' },
    finishedAt: { type: 'datetime' },
    /** When the nightly retention job cleared its recipients' addresses (`retention.messageAddressDays` after it finished). */
    addressesClearedAt: { type: 'datetime' },
  },
  indexes: [{ name: 'consent_messages_status_idx', columns: ['status'] }],
});
