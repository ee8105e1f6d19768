/**
 * The admin panel's languages. Strapi offers only English until an app lists more; each user then picks
 * theirs under Profile → Interface language, and the plugin's German and French texts follow.
 */
export default {
  config: {
    locales: ['de', 'fr'],
  },
  bootstrap() {},
};
