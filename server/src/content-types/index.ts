import purpose from './purpose';
import notice from './notice';
import form from './form';
import subject from './subject';
import consentEvent from './consent-event';
import consentState from './consent-state';
import suppression from './suppression';
import ledgerHead from './ledger-head';
import ledgerCheckpoint from './ledger-checkpoint';
import receipt from './receipt';
import rateLimit from './rate-limit';
import confirmation from './confirmation';
import relationship from './relationship';
import importBatch from './import-batch';
import webhookDelivery from './webhook-delivery';
import report from './report';
import parentalConsent from './parental-consent';
import message from './message';
import messageRecipient from './message-recipient';

export default {
  purpose,
  notice,
  form,
  subject,
  'consent-event': consentEvent,
  'consent-state': consentState,
  suppression,
  'ledger-head': ledgerHead,
  'ledger-checkpoint': ledgerCheckpoint,
  receipt,
  'rate-limit': rateLimit,
  confirmation,
  relationship,
  'import-batch': importBatch,
  'webhook-delivery': webhookDelivery,
  report,
  'parental-consent': parentalConsent,
  message,
  'message-recipient': messageRecipient,
};
