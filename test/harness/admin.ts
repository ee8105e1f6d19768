import type { Core } from '@strapi/strapi';
import request from 'supertest';

/**
 * Admin users and roles for RBAC tests: a super admin, and editor roles holding only the actions a test
 * names. Tokens come from the real login route, as the admin panel gets them.
 */
const PASSWORD = 'Test-password-1';

export const login = async (strapi: Core.Strapi, email: string, password = PASSWORD): Promise<string> => {
  const res = await request(strapi.server.httpServer).post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed (${res.status}): ${JSON.stringify(res.body)}`);
  return res.body.data.token as string;
};

export const createSuperAdmin = async (strapi: Core.Strapi, email = 'super@consent.test'): Promise<string> => {
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({
    email,
    password: PASSWORD,
    firstname: 'Super',
    lastname: 'Admin',
    isActive: true,
    registrationToken: null,
    roles: [superAdmin.id],
  });
  return login(strapi, email);
};

/** A role with exactly `actions` (full action ids), and a logged-in user holding only that role. */
export const createAdminWithActions = async (
  strapi: Core.Strapi,
  email: string,
  actions: string[]
): Promise<string> => {
  const role = await strapi.service('admin::role').create({ name: `role ${email}`, description: 'test role' });
  await strapi.service('admin::role').assignPermissions(
    role.id,
    actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] }))
  );
  await strapi.service('admin::user').create({
    email,
    password: PASSWORD,
    firstname: 'Test',
    lastname: 'Editor',
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  return login(strapi, email);
};

/** Supertest calls to the admin API with a bearer token. */
export const adminApi = (strapi: Core.Strapi, token: string) => {
  const http = () => request(strapi.server.httpServer);
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
  return {
    get: (path: string) => auth(http().get(path)),
    post: (path: string, body?: object) => auth(http().post(path)).send(body ?? {}),
    put: (path: string, body: object) => auth(http().put(path)).send(body),
    del: (path: string) => auth(http().delete(path)),
  };
};
