/**
 * A second Strapi instance in its own process, for tests of several instances on one database (Strapi
 * keeps process-wide state, so two instances cannot share one process). It compiles the plugin's
 * TypeScript sources with @swc/core as they are required, boots the playground app with the environment
 * it was given, and answers messages from the parent test: `{ id, type: 'call', service, method, calls }`
 * runs `service.method(...args)` for every `args` of `calls` concurrently; `{ id, type: 'count', tables }`
 * answers the rows of each table (null when it does not exist); `{ type: 'stop' }` shuts it down.
 *
 * CONSENT_CHILD_APP_DIR boots another app folder (an older release's playground, with its plugin sources
 * through CONSENT_PLUGIN_PATH); CONSENT_CHILD_LISTEN=true also serves HTTP on a free port, reported with
 * `ready`. Strapi's own SIGTERM handler stays in place: a test can signal the process like an orchestrator.
 */
const path = require('node:path');
require('../../scripts/register-ts.cjs');

const { createStrapi } = require('@strapi/strapi');

(async () => {
  const appDir = process.env.CONSENT_CHILD_APP_DIR ?? path.resolve(__dirname, '../../playground');
  const app = createStrapi({ appDir, distDir: appDir, autoReload: false });
  app.log.level = process.env.CONSENT_TEST_LOG ?? 'error';
  await app.load();
  let port;
  if (process.env.CONSENT_CHILD_LISTEN === 'true') {
    app.server.mount();
    await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    port = app.server.httpServer.address().port;
  }
  process.on('message', async (message) => {
    if (message.type === 'stop') {
      await app.destroy();
      process.exit(0);
    }
    if (message.type === 'count') {
      // Rows per table (null: no such table), read with the instance's own connection.
      const counts = {};
      for (const table of message.tables) {
        counts[table] = (await app.db.connection.schema.hasTable(table))
          ? Number((await app.db.connection(table).count({ n: '*' }))[0].n)
          : null;
      }
      process.send({ id: message.id, ok: true, results: [counts] });
    }
    if (message.type === 'call') {
      try {
        const service = app.plugin('consent').service(message.service);
        const results = await Promise.all(message.calls.map((args) => service[message.method](...args)));
        process.send({ id: message.id, ok: true, results: message.results ? results : undefined });
      } catch (error) {
        process.send({ id: message.id, error: String(error && error.message) });
      }
    }
  });
  process.send({ ready: true, port });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
