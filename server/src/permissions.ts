import type { Core } from '@strapi/strapi';
import { ACTIONS, PLUGIN_ID } from './constants';

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
  pluginAction(ACTIONS.purposesRead, 'Read purposes', 'purposes'),
  pluginAction(ACTIONS.purposesManage, 'Create, edit and archive purposes', 'purposes'),
  pluginAction(ACTIONS.noticesRead, 'Read notices', 'notices'),
  pluginAction(ACTIONS.noticesManage, 'Write notice drafts', 'notices'),
  pluginAction(ACTIONS.noticesPublish, 'Publish notices', 'notices'),
  pluginAction(ACTIONS.formsRead, 'Read forms', 'forms'),
  pluginAction(ACTIONS.formsManage, 'Create and edit forms', 'forms'),
  pluginAction(ACTIONS.recordsRead, 'Read consent records', 'records'),
  pluginAction(ACTIONS.recordsExport, 'Export consent records', 'records'),
  pluginAction(ACTIONS.subjectsErase, 'Erase data subjects', 'subjects'),
  pluginAction(ACTIONS.suppressionsManage, 'Import opposition lists (do-not-contact)', 'suppressions'),
  pluginAction(ACTIONS.deliveriesRead, 'Read webhook deliveries and their failures', 'webhooks'),
  pluginAction(ACTIONS.deliveriesRetry, 'Retry failed webhook deliveries', 'webhooks'),
  pluginAction(ACTIONS.reportsManage, 'Generate and read compliance reports', 'reports'),
  pluginAction(ACTIONS.messagesRead, 'Read messages and their progress', 'messages'),
  {
    section: 'settings',
    category: 'consent',
    pluginName: PLUGIN_ID,
    displayName: 'Read consent settings',
    uid: ACTIONS.settingsRead,
  },
];

export const registerPermissions = async (strapi: Core.Strapi) => {
  await strapi.service('admin::permission').actionProvider.registerMany(RBAC_ACTIONS);
};
