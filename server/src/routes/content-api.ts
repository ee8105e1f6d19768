import type { TokenPurpose } from '../domain/tokens';
import type { PublicRouteConfig } from '../middlewares/public-route';
import type { PluginRouter } from './handler';

/**
 * Public and server-to-server routes under /api/consent (spec 4.1 and 4.2).
 *
 * Public routes are `auth: false`: they work right after installation. Those that write go through the
 * `public-route` guard (size limit, rate limit shared by every instance) and check origins or tokens.
 * Which requests the per-client limit counts is decided in domain/rate-limit-rules: a valid signed link
 * never is (E3, D1, D2), nor a withdrawal (limited per person instead).
 * Server-to-server routes keep Strapi's content-API auth: an API token (full access, or custom with the
 * plugin's actions) or a users-permissions JWT whose role has the action; otherwise 401/403.
 */
const guard = (scope: string, maxBytes: number, more: Partial<PublicRouteConfig> = {}) => ({
  name: 'plugin::consent.public-route',
  config: { scope, maxBytes, ...more } satisfies PublicRouteConfig,
});
/** A route whose `:token` is a signed link for `token`: only failed token checks are counted. */
const linkGuard = (scope: string, maxBytes: number, token: TokenPurpose) =>
  guard(scope, maxBytes, { limit: 'failed-links', token });

export default {
  type: 'content-api',
  routes: [
    {
      method: 'GET',
      path: '/jwks.json',
      handler: 'jwks.find',
      config: { auth: false },
    },
    {
      method: 'GET',
      path: '/forms/:key',
      handler: 'public-forms.findOne',
      config: { auth: false },
    },
    {
      method: 'POST',
      path: '/submissions',
      handler: 'submissions.create',
      // 16 kB holds a form with 50 purposes and its extra fields; Strapi's own limit is 1 MB.
      config: { auth: false, middlewares: [guard('submission', 16 * 1024)] },
    },
    {
      method: 'GET',
      path: '/confirm/:token',
      handler: 'confirmations.show',
      config: { auth: false, middlewares: [linkGuard('confirm', 4 * 1024, 'confirm')] },
    },
    {
      method: 'POST',
      path: '/confirm/:token',
      handler: 'confirmations.confirm',
      config: { auth: false, middlewares: [linkGuard('confirm', 4 * 1024, 'confirm')] },
    },
    {
      method: 'POST',
      path: '/confirm/:token/resend',
      handler: 'confirmations.resend',
      // Sends a mail: every request counts (and one mail per address per window, services/confirmations).
      config: { auth: false, middlewares: [guard('confirm', 4 * 1024)] },
    },
    {
      // The link mailed to a parent (G2, G4): the question; opening it changes nothing.
      method: 'GET',
      path: '/parental-consent/:token',
      handler: 'parental-consents.show',
      config: { auth: false, middlewares: [linkGuard('confirm', 4 * 1024, 'parental')] },
    },
    {
      method: 'POST',
      path: '/parental-consent/:token',
      handler: 'parental-consents.confirm',
      config: { auth: false, middlewares: [linkGuard('confirm', 4 * 1024, 'parental')] },
    },
    {
      // The re-permission link (I4): the question; opening it changes nothing.
      method: 'GET',
      path: '/renew/:token',
      handler: 'renewals.show',
      config: { auth: false, middlewares: [linkGuard('confirm', 4 * 1024, 'renew')] },
    },
    {
      method: 'POST',
      path: '/renew/:token',
      handler: 'renewals.renew',
      config: { auth: false, middlewares: [linkGuard('confirm', 4 * 1024, 'renew')] },
    },
    {
      method: 'GET',
      path: '/unsubscribe/:token',
      handler: 'opt-out.unsubscribePage',
      config: { auth: false, middlewares: [linkGuard('opt-out', 4 * 1024, 'unsubscribe')] },
    },
    {
      // RFC 8058 one-click: no cookie, auth, CSRF or Origin check; the token is the authority.
      method: 'POST',
      path: '/unsubscribe/:token',
      handler: 'opt-out.unsubscribe',
      config: { auth: false, middlewares: [linkGuard('opt-out', 4 * 1024, 'unsubscribe')] },
    },
    {
      method: 'GET',
      path: '/preferences/:token',
      handler: 'opt-out.preferences',
      config: { auth: false, middlewares: [linkGuard('opt-out', 4 * 1024, 'preferences')] },
    },
    {
      method: 'PUT',
      path: '/preferences/:token',
      handler: 'opt-out.updatePreferences',
      config: { auth: false, middlewares: [linkGuard('opt-out', 16 * 1024, 'preferences')] },
    },
    {
      // The preference page's own form (HTML forms cannot PUT).
      method: 'POST',
      path: '/preferences/:token',
      handler: 'opt-out.updatePreferences',
      config: { auth: false, middlewares: [linkGuard('opt-out', 16 * 1024, 'preferences')] },
    },
    {
      method: 'POST',
      path: '/withdrawals',
      handler: 'opt-out.withdraw',
      // Limited per person in the controller, never per client (domain/rate-limit-rules WITHDRAWAL_LIMIT).
      config: { auth: false, middlewares: [guard('withdrawal', 4 * 1024, { limit: 'never' })] },
    },
    {
      method: 'GET',
      path: '/headers',
      handler: 'opt-out.headers',
    },
    {
      method: 'GET',
      path: '/eligibility',
      handler: 'eligibility.check',
    },
    {
      method: 'POST',
      path: '/eligibility',
      handler: 'eligibility.checkMany',
    },
    { method: 'GET', path: '/subjects/export', handler: 'subjects.export' },
    { method: 'POST', path: '/subjects/erase', handler: 'subjects.erase' },
    { method: 'POST', path: '/events', handler: 'imports.create' },
    // Evidence of a current contract, which every contract-basis purpose needs (C7).
    { method: 'POST', path: '/relationships', handler: 'relationships.upsert' },
    // A verified phone number confirms pending phone/SMS consent (Germany, consumers: C8, N16).
    { method: 'POST', path: '/phone-verifications', handler: 'phone-verifications.create' },
    // Uses of a consent (C8) and the person's clicks (I4), reported by the site's back end.
    { method: 'POST', path: '/contacts', handler: 'contacts.create' },
    // Consent-gated sending (D4, E1–E7): queued as a job, followed by its id.
    { method: 'POST', path: '/messages', handler: 'messages.create' },
    { method: 'GET', path: '/messages/:id', handler: 'messages.findOne' },
    {
      // A stream of personal data: `stream`, not `find`, so a read-only API token does not get it.
      method: 'GET',
      path: '/audiences/:purpose',
      handler: 'audiences.stream',
    },
  ],
} satisfies PluginRouter;
