const { factories } = require('@strapi/strapi');
const { errors: strapiErrors } = require('@strapi/utils');
const { consentHook } = require('../../../consent-hook');

/**
 * A checkout with the consent form hook and its `relationship` option (spec 5, C7): `POST /api/orders` with
 * `{ data: { email, product, payment }, consent: { subject, choices, notices } }` creates the order, records
 * the consent and records the order as the person's contract, in one transaction. The contract's
 * reference and dates come from here (the server), never from the request body.
 *
 * `payment` stands for a payment provider's token: like a provider's test tokens, `tok_declined` is
 * refused, after the order row exists, so the order, the consent and the contract all roll back.
 */
const charge = (payment) => {
  if (payment === 'tok_declined')
    throw new strapiErrors.ApplicationError('The payment was declined', { payment: 'declined' });
};

module.exports = factories.createCoreRouter('api::order.order', {
  only: ['create'],
  config: {
    create: {
      auth: false,
      middlewares: consentHook({
        form: 'checkout',
        relationship: ({ entry, ctx }) => {
          charge(ctx.request.body?.data?.payment);
          return { reference: `order-${entry.documentId}` };
        },
      }),
    },
  },
});
