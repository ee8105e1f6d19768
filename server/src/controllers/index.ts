import forms from './forms';
import jwks from './jwks';
import ledger from './ledger';
import notices from './notices';
import oppositionLists from './opposition-lists';
import objections from './objections';
import publicForms from './public-forms';
import purposes from './purposes';
import settings from './settings';
import submissions from './submissions';
import eligibility from './eligibility';
import confirmations from './confirmations';
import optOut from './opt-out';
import subjects from './subjects';
import imports from './imports';
import audiences from './audiences';
import records from './records';
import relationships from './relationships';
import phoneVerifications from './phone-verifications';
import contacts from './contacts';
import renewals from './renewals';
import reports from './reports';
import wellKnown from './well-known';
import parentalConsents from './parental-consents';
import messages from './messages';
import webhookDeliveries from './webhook-deliveries';

export default {
  forms,
  jwks,
  ledger,
  notices,
  'public-forms': publicForms,
  purposes,
  settings,
  submissions,
  eligibility,
  confirmations,
  'opt-out': optOut,
  'opposition-lists': oppositionLists,
  objections,
  subjects,
  imports,
  audiences,
  messages,
  records,
  relationships,
  'phone-verifications': phoneVerifications,
  contacts,
  renewals,
  reports,
  'well-known': wellKnown,
  'parental-consents': parentalConsents,
  'webhook-deliveries': webhookDeliveries,
};
