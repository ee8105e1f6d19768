const { purposes, notices, forms } = require('./seed-data');

const DEFAULT_BASE = 'http://localhost:1337';

/**
 * Loads the demo content once (an empty purposes table means a fresh playground), through the plugin's
 * own services, the same path as the admin API: notices are created as drafts and published, so their
 * hashes and the A7 checks are the real ones.
 */
const seed = async (strapi) => {
  const plugin = strapi.plugin('consent');
  // The demo content names the default address; a playground started elsewhere (PUBLIC_URL, as the
  // browser tests do on a free port) gets its forms pointed at itself: posts accepted, redirects home.
  const base = (strapi.config.get('plugin::consent.publicUrl') ?? DEFAULT_BASE).replace(/\/+$/, '');
  const here = (form) => ({
    ...form,
    allowedOrigins: [...new Set([...form.allowedOrigins, new URL(base).origin])],
    ...(form.successUrl ? { successUrl: form.successUrl.replace(DEFAULT_BASE, base) } : {}),
  });
  if ((await plugin.service('purposes').list()).length > 0) return false;

  for (const purpose of purposes) await plugin.service('purposes').create(purpose);
  for (const notice of notices) {
    const draft = await plugin.service('notices').createDraft(notice);
    await plugin.service('notices').publish(draft.id);
  }
  for (const form of forms) await plugin.service('forms').create(here(form));
  return true;
};

/** The first admin account, from documented defaults (README, playground/.env.example). */
const ensureAdmin = async (strapi, { email, password }) => {
  if (await strapi.service('admin::user').exists()) return false;
  await strapi.service('admin::user').createFirstAdmin({ email, password, firstname: 'Playground', lastname: 'Admin' });
  return true;
};

module.exports = { seed, ensureAdmin };
