import type { NewEvent } from '../../server/src/services/ledger';

/** A valid consent event for the ledger service; tests override what they are about. */
export const consentEvent = (over: Partial<NewEvent> = {}): NewEvent => ({
  subject: 'subject-1',
  purpose: 'newsletter',
  channel: 'email',
  action: 'granted',
  state: 'granted',
  method: 'form',
  legalBasis: 'consent',
  actor: 'subject',
  ...over,
});
