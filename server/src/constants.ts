/**
 * Names shared across the server: plugin id, content-type uids, table names and RBAC action ids.
 * Table names are explicit (not derived) because integrations, backups and the DB-level ledger guard
 * refer to them; renaming one would orphan every existing row.
 */
export const PLUGIN_ID = 'consent' as const;

export const UID = {
  purpose: 'plugin::consent.purpose',
  notice: 'plugin::consent.notice',
  form: 'plugin::consent.form',
  subject: 'plugin::consent.subject',
  event: 'plugin::consent.consent-event',
  state: 'plugin::consent.consent-state',
  suppression: 'plugin::consent.suppression',
  ledgerHead: 'plugin::consent.ledger-head',
  ledgerCheckpoint: 'plugin::consent.ledger-checkpoint',
  receipt: 'plugin::consent.receipt',
  rateLimit: 'plugin::consent.rate-limit',
  confirmation: 'plugin::consent.confirmation',
  relationship: 'plugin::consent.relationship',
  importBatch: 'plugin::consent.import-batch',
  webhookDelivery: 'plugin::consent.webhook-delivery',
  report: 'plugin::consent.report',
  parentalConsent: 'plugin::consent.parental-consent',
  message: 'plugin::consent.message',
  messageRecipient: 'plugin::consent.message-recipient',
} as const;

export type ConsentUid = (typeof UID)[keyof typeof UID];

export const TABLE = {
  purpose: 'consent_purposes',
  notice: 'consent_notices',
  form: 'consent_forms',
  subject: 'consent_subjects',
  event: 'consent_events',
  state: 'consent_states',
  suppression: 'consent_suppressions',
  ledgerHead: 'consent_ledger_heads',
  ledgerCheckpoint: 'consent_ledger_checkpoints',
  receipt: 'consent_receipts',
  rateLimit: 'consent_rate_limits',
  confirmation: 'consent_confirmations',
  relationship: 'consent_relationships',
  importBatch: 'consent_import_batches',
  webhookDelivery: 'consent_webhook_deliveries',
  report: 'consent_reports',
  parentalConsent: 'consent_parental_consents',
  message: 'consent_messages',
  messageRecipient: 'consent_message_recipients',
} as const;

/**
 * RBAC action uids (without the `plugin::consent.` prefix), one per guarded capability of spec 4.3. Strapi
 * calls them actions; here they are PERMISSIONS, so that `ACTIONS` means only the ledger's consent actions
 * (shared/contracts/domain.ts).
 */
export const PERMISSIONS = {
  purposesRead: 'purposes.read',
  purposesManage: 'purposes.manage',
  noticesRead: 'notices.read',
  noticesManage: 'notices.manage',
  noticesPublish: 'notices.publish',
  formsRead: 'forms.read',
  formsManage: 'forms.manage',
  recordsRead: 'records.read',
  recordsExport: 'records.export',
  subjectsErase: 'subjects.erase',
  settingsRead: 'settings.read',
  suppressionsManage: 'suppressions.manage',
  deliveriesRead: 'webhook-deliveries.read',
  deliveriesRetry: 'webhook-deliveries.retry',
  reportsManage: 'reports.manage',
  messagesRead: 'messages.read',
} as const;

export type PermissionKey = keyof typeof PERMISSIONS;

export const permissionId = (key: PermissionKey) => `plugin::${PLUGIN_ID}.${PERMISSIONS[key]}` as const;
