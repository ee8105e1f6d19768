const { purposes, notices, form } = require('./seed-data');

/**
 * Loads the demo content once (an empty purposes table means a fresh playground). Notices are published
 * version 1 with their content hash computed by the plugin, exactly as a published notice is stored.
 */
const seed = async (strapi) => {
  const purposeQuery = strapi.db.query('plugin::consent.purpose');
  if ((await purposeQuery.count()) > 0) return false;

  const now = new Date();
  const noticeService = strapi.plugin('consent').service('notices');
  await strapi.db.transaction(async () => {
    for (const purpose of purposes) await purposeQuery.create({ data: purpose });
    for (const notice of notices) {
      await strapi.db.query('plugin::consent.notice').create({
        data: { ...notice, status: 'published', contentHash: noticeService.contentHash(notice), effectiveAt: now },
      });
    }
    await strapi.db.query('plugin::consent.form').create({ data: form });
  });
  return true;
};

/** The first admin account, from documented defaults (README, playground/.env.example). */
const ensureAdmin = async (strapi, { email, password }) => {
  if (await strapi.service('admin::user').exists()) return false;
  await strapi.service('admin::user').createFirstAdmin({ email, password, firstname: 'Playground', lastname: 'Admin' });
  return true;
};

module.exports = { seed, ensureAdmin };
