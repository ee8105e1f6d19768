/** Mirrors the server's RBAC actions (server/src/permissions.ts); links and pages use them to hide what a role cannot use. */
const action = (uid: string) => [{ action: `plugin::consent.${uid}`, subject: null }];

export const PERMISSIONS = {
  settings: action('settings.read'),
};
