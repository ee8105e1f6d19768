import type { Core } from '@strapi/strapi';
import { PERMISSIONS, PLUGIN_ID } from './constants';

/**
 * The plugin's RBAC actions (spec 4.3). Each admin route names the one it needs; a role without it gets 403
 * from `admin::hasPermissions`, and the admin UI hides what the role cannot use.
 */
const pluginAction = (uid: string, displayName: string, subCategory: string) => ({
  section: 'plugins',
  pluginName: PLUGIN_ID,
  subCategory,
  displayName,
  uid,
});

export const RBAC_ACTIONS = [
  pluginAction(PERMISSIONS.purposesRead, 'Read purposes', 'purposes'),
  pluginAction(PERMISSIONS.purposesManage, 'Create, edit and archive purposes', 'purposes'),
  pluginAction(PERMISSIONS.noticesRead, 'Read notices', 'notices'),
  pluginAction(PERMISSIONS.noticesManage, 'Write notice drafts', 'notices'),
  pluginAction(PERMISSIONS.noticesPublish, 'Publish notices', 'notices'),
  pluginAction(PERMISSIONS.formsRead, 'Read forms', 'forms'),
  pluginAction(PERMISSIONS.formsManage, 'Create and edit forms', 'forms'),
  pluginAction(PERMISSIONS.recordsRead, 'Read consent records', 'records'),
  pluginAction(PERMISSIONS.recordsExport, 'Export consent records', 'records'),
  pluginAction(PERMISSIONS.subjectsErase, 'Erase data subjects', 'subjects'),
  pluginAction(PERMISSIONS.suppressionsManage, 'Import opposition lists (do-not-contact)', 'suppressions'),
  pluginAction(PERMISSIONS.deliveriesRead, 'Read webhook deliveries and their failures', 'webhooks'),
  pluginAction(PERMISSIONS.deliveriesRetry, 'Retry failed webhook deliveries', 'webhooks'),
  pluginAction(PERMISSIONS.reportsManage, 'Generate and read compliance reports', 'reports'),
  pluginAction(PERMISSIONS.messagesRead, 'Read messages and their progress', 'messages'),
  {
    section: 'settings',
    category: 'consent',
    pluginName: PLUGIN_ID,
    displayName: 'Read consent settings',
    uid: PERMISSIONS.settingsRead,
  },
];

export const registerPermissions = async (strapi: Core.Strapi) => {
  await strapi.service('admin::permission').actionProvider.registerMany(RBAC_ACTIONS);
};
