import { actionId, type ActionKey } from '../constants';

/** Admin routes are guarded twice: a logged-in admin, and a role holding the plugin's RBAC action. */
export const requireAction = (...keys: ActionKey[]) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: keys.map(actionId) } }],
});
