import { useRBAC } from '@strapi/strapi/admin';

type Permissions = Array<{ action: string; subject: string | null }>;

/**
 * Whether the user holds one of `permissions`. Strapi's useRBAC names its answers after the last word of
 * each action (`plugin::consent.records.read` → `canRead`), not after the keys it is given, so two
 * actions ending alike ("purposes.read", "records.read") collide: one check per call keeps them apart.
 */
export const useCan = (permissions: Permissions): { can: boolean; isLoading: boolean } => {
  const { allowedActions, isLoading } = useRBAC(permissions);
  return { can: !isLoading && Object.values(allowedActions).some(Boolean), isLoading };
};
