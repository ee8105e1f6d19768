/** Mirrors the server's RBAC actions (server/src/permissions.ts); links and pages use them to hide what a role cannot use. */
const action = (uid: string) => [{ action: `plugin::consent.${uid}`, subject: null }];

export const PERMISSIONS = {
  settings: action('settings.read'),
  purposesRead: action('purposes.read'),
  purposesManage: action('purposes.manage'),
  noticesRead: action('notices.read'),
  noticesManage: action('notices.manage'),
  noticesPublish: action('notices.publish'),
  formsRead: action('forms.read'),
  formsManage: action('forms.manage'),
  recordsRead: action('records.read'),
  recordsExport: action('records.export'),
  subjectsErase: action('subjects.erase'),
  deliveriesRead: action('webhook-deliveries.read'),
  deliveriesRetry: action('webhook-deliveries.retry'),
  reportsManage: action('reports.manage'),
  messagesRead: action('messages.read'),
  /** The plugin menu entry shows for any role that can read one of the editor's models or the records, make reports or follow sends. */
  menu: [
    ...action('purposes.read'),
    ...action('notices.read'),
    ...action('forms.read'),
    ...action('records.read'),
    ...action('reports.manage'),
    ...action('messages.read'),
  ],
};
