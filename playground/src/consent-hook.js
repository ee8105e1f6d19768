/**
 * The route middlewares that put the consent form hook (`plugin::consent.capture`, spec 5) on one of the
 * app's own routes. Strapi refuses to boot when a route names a middleware of a disabled plugin, so an app
 * that may run without the plugin (CONSENT_ENABLED=false here) leaves the hook out then: the route keeps
 * working, without recording consent.
 */
const consentHook = (config) =>
  process.env.CONSENT_ENABLED === 'false' ? [] : [{ name: 'plugin::consent.capture', config }];

module.exports = { consentHook };
