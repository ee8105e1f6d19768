const { renderDemoPage, renderThanksPage } = require('./demo-page');
const { renderClientDemoPage, clientAsset } = require('./demo-page-client');
const { seed, ensureAdmin } = require('./seed');
const { startMailbox, renderMailbox, DEMO_NEWSLETTER } = require('./mailbox');

const env = (name, fallback) => process.env[name] ?? fallback;

let mailbox = { mails: [], stop: async () => undefined };

module.exports = {
  register({ strapi }) {
    // Tests send mail to their own SMTP listener (config/env/test/plugins.js).
    if (process.env.NODE_ENV !== 'test' && env('PLAYGROUND_MAILBOX', 'true') !== 'false') {
      mailbox = startMailbox({ port: Number(env('PLAYGROUND_SMTP_PORT', '1025')), log: (m) => strapi.log.info(m) });
    }
    strapi.server.routes([
      {
        method: 'GET',
        path: '/demo/mails',
        handler: async (ctx) => {
          ctx.type = 'html';
          const sent = /^\d+$/.test(String(ctx.query.sent ?? '')) ? Number(ctx.query.sent) : null;
          const job = sent ? await strapi.plugin('consent').service('messages').find(sent, { pageSize: 1 }) : null;
          ctx.body = renderMailbox(mailbox.mails, job);
        },
        config: { auth: false },
      },
      {
        // The demo newsletter, sent through the messages service to everyone the newsletter's audience
        // holds: each gets their own one-click unsubscribe link and preference centre (services/messages).
        method: 'POST',
        path: '/demo/newsletter',
        handler: async (ctx) => {
          const id = await strapi
            .plugin('consent')
            .service('messages')
            .enqueue(
              { purpose: 'newsletter', channel: 'email', audience: 'newsletter', template: DEMO_NEWSLETTER },
              'playground'
            );
          ctx.redirect(`/demo/mails?sent=${id}`);
        },
        config: { auth: false },
      },
      {
        method: 'GET',
        path: '/demo',
        handler: async (ctx) => {
          const html = await renderDemoPage(strapi, {
            language: String(ctx.query.locale ?? 'en'),
            form: String(ctx.query.form ?? 'demo'),
          });
          if (!html) return ctx.notFound('The demo form is not seeded (PLAYGROUND_SEED=false)');
          ctx.type = 'html';
          ctx.body = html;
        },
        config: { auth: false },
      },
      {
        method: 'GET',
        path: '/demo/client',
        handler: async (ctx) => {
          ctx.type = 'html';
          ctx.body = renderClientDemoPage({
            language: String(ctx.query.locale ?? 'en'),
            form: String(ctx.query.form ?? 'demo'),
          });
        },
        config: { auth: false },
      },
      {
        method: 'GET',
        path: '/demo/assets/:name',
        handler: async (ctx) => {
          const source = clientAsset(ctx.params.name);
          if (source === null) return ctx.notFound('Not found (the client bundle is built by `npm run build`)');
          ctx.type = 'text/javascript';
          ctx.body = source;
        },
        config: { auth: false },
      },
      {
        method: 'GET',
        path: '/demo/thanks',
        handler: async (ctx) => {
          ctx.type = 'html';
          ctx.body = await renderThanksPage(strapi, {
            language: String(ctx.query.locale ?? 'en'),
            receipt: String(ctx.query.receipt ?? ''),
            pending: ctx.query.pending ? String(ctx.query.pending) : '',
            form: String(ctx.query.form ?? 'demo'),
          });
        },
        config: { auth: false },
      },
    ]);
  },

  async destroy() {
    await mailbox.stop();
  },

  async bootstrap({ strapi }) {
    if (env('PLAYGROUND_SEED', 'true') !== 'false') {
      const seeded = await seed(strapi);
      const admin = {
        email: env('PLAYGROUND_ADMIN_EMAIL', 'admin@example.com'),
        password: env('PLAYGROUND_ADMIN_PASSWORD', 'Playground1!'),
      };
      const created = await ensureAdmin(strapi, admin);
      const base = strapi.config.get('plugin::consent.publicUrl') ?? 'http://localhost:1337';
      strapi.log.info(
        [
          '',
          '  strapi-plugin-consent playground',
          `  Demo form:   ${base}/demo   (also ?locale=de, ?locale=fr)`,
          `  Client demo: ${base}/demo/client   (the same form rendered by strapi-plugin-consent/client)`,
          `  Kids club:   ${base}/demo?form=kids-club   (a form offered to children: age first, a parent confirms under 15)`,
          `  Admin panel: ${base}/admin  (${admin.email} / ${created ? admin.password : 'password as set'})`,
          `  Mailbox:     ${base}/demo/mails  (the mails the playground sends; a button sends the demo newsletter)`,
          seeded
            ? '  Demo purposes, notices (en, de, fr) and the forms "demo", "contact", "checkout" and "kids-club" were seeded.'
            : '',
          '',
        ].join('\n')
      );
    }
  },
};
