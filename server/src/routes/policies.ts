import { permissionId, type PermissionKey } from '../constants';

/** Admin routes are guarded twice: a logged-in admin, and a role holding the plugin's RBAC action. */
export const requirePermission = (...keys: PermissionKey[]) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: keys.map(permissionId) } },
  ],
});
