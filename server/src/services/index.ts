import forms from './forms';
import ledger from './ledger';
import notices from './notices';
import purposes from './purposes';
import receipts from './receipts';
import secrets from './secrets';
import settings from './settings';
import capture from './capture';
import catalogue from './catalogue';
import eligibility from './eligibility';
import rateLimits from './rate-limits';
import subjects from './subjects';
import webhooks from './webhooks';
import webhookOutbox from './webhook-outbox';
import confirmations from './confirmations';
import suppression from './suppression';
import tokens from './tokens';
import links from './links';
import optOut from './opt-out';
import preferences from './preferences';
import rights from './rights';
import imports from './imports';
import audiences from './audiences';
import retention from './retention';
import records from './records';
import relationships from './relationships';
import contacts from './contacts';
import repermission from './repermission';
import reports from './reports';
import parentalConsents from './parental-consents';
import messages from './messages';
import shutdown from './shutdown';

export default {
  forms,
  ledger,
  notices,
  purposes,
  receipts,
  secrets,
  settings,
  capture,
  catalogue,
  eligibility,
  'rate-limits': rateLimits,
  subjects,
  webhooks,
  'webhook-outbox': webhookOutbox,
  confirmations,
  suppression,
  tokens,
  links,
  'opt-out': optOut,
  preferences,
  rights,
  imports,
  audiences,
  retention,
  records,
  relationships,
  contacts,
  repermission,
  reports,
  'parental-consents': parentalConsents,
  messages,
  shutdown,
};
