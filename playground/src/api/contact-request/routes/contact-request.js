const { factories } = require('@strapi/strapi');
const { consentHook } = require('../../../consent-hook');

/**
 * The site owner's own route with the consent form hook (spec 5): `POST /api/contact-requests` with
 * `{ data: { name, email, message }, consent: { subject, choices, notices } }`. The request is created and
 * the consent recorded together, or neither. Public here so the demo works without a token.
 */
module.exports = factories.createCoreRouter('api::contact-request.contact-request', {
  only: ['create'],
  config: {
    create: {
      auth: false,
      middlewares: consentHook({ form: 'contact' }),
    },
  },
});
