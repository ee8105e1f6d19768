import type { PermissionKey } from '../constants';
import type { Handler, PluginRoute, PluginRouter } from './handler';
import { requirePermission } from './policies';

const route = (method: PluginRoute['method'], path: string, handler: Handler, permission: PermissionKey) => ({
  method,
  path,
  handler,
  config: requirePermission(permission),
});

/** Admin API (spec 4.3), under /consent. Every route names the RBAC permission it needs (`PERMISSIONS`). */
export default {
  type: 'admin',
  routes: [
    route('GET', '/settings', 'settings.find', 'settingsRead'),
    route('POST', '/ledger/verify', 'ledger.verify', 'recordsRead'),
    route('POST', '/ledger/replay', 'ledger.replay', 'recordsRead'),
    route('GET', '/events', 'records.find', 'recordsRead'),
    route('GET', '/events/export', 'records.export', 'recordsExport'),
    route('GET', '/subjects', 'records.findSubject', 'recordsRead'),
    route('GET', '/subjects/:pseudonym', 'records.findOneSubject', 'recordsRead'),
    route('GET', '/stats', 'records.stats', 'recordsRead'),

    route('GET', '/purposes', 'purposes.find', 'purposesRead'),
    route('POST', '/purposes', 'purposes.create', 'purposesManage'),
    route('GET', '/purposes/:key', 'purposes.findOne', 'purposesRead'),
    route('PUT', '/purposes/:key', 'purposes.update', 'purposesManage'),
    route('DELETE', '/purposes/:key', 'purposes.delete', 'purposesManage'),

    route('GET', '/notices', 'notices.find', 'noticesRead'),
    route('POST', '/notices', 'notices.create', 'noticesManage'),
    route('GET', '/notices/checklist', 'notices.checklist', 'noticesRead'),
    route('GET', '/notices/:id', 'notices.findOne', 'noticesRead'),
    route('PUT', '/notices/:id', 'notices.update', 'noticesManage'),
    route('DELETE', '/notices/:id', 'notices.delete', 'noticesManage'),
    route('POST', '/notices/:id/publish', 'notices.publish', 'noticesPublish'),

    route('GET', '/forms', 'forms.find', 'formsRead'),
    route('POST', '/forms', 'forms.create', 'formsManage'),
    route('POST', '/forms/preview', 'forms.preview', 'formsRead'),
    route('GET', '/forms/:key', 'forms.findOne', 'formsRead'),
    route('PUT', '/forms/:key', 'forms.update', 'formsManage'),
    route('DELETE', '/forms/:key', 'forms.delete', 'formsManage'),

    // The body is streamed, not parsed: see middlewares/raw-body (registered in register.ts).
    route('POST', '/opposition-lists/import', 'opposition-lists.import', 'suppressionsManage'),
    route('POST', '/objections', 'objections.create', 'suppressionsManage'),
    route('GET', '/subjects/:pseudonym/export', 'subjects.adminExport', 'recordsExport'),
    route('POST', '/subjects/:pseudonym/erase', 'subjects.adminErase', 'subjectsErase'),

    route('GET', '/webhook-deliveries', 'webhook-deliveries.find', 'deliveriesRead'),
    route('POST', '/webhook-deliveries/:id/retry', 'webhook-deliveries.retry', 'deliveriesRetry'),
    // Compliance reports (issue 22): stored as signed, so there is no PUT or DELETE.
    route('POST', '/reports', 'reports.create', 'reportsManage'),
    route('GET', '/reports', 'reports.find', 'reportsManage'),
    route('GET', '/reports/:id', 'reports.findOne', 'reportsManage'),
    route('GET', '/reports/:id/pdf', 'reports.pdf', 'reportsManage'),
    route('GET', '/messages', 'messages.list', 'messagesRead'),
  ],
} satisfies PluginRouter;
