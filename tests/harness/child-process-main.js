/**
 * A second Strapi instance in its own process, for tests of several instances on one database (Strapi
 * keeps process-wide state, so two instances cannot share one process). It compiles the plugin's
 * TypeScript sources with @swc/core as they are required, boots the playground app with the environment
 * it was given, and answers messages from the parent test: `{ id, type: 'call', service, method, calls }`
 * runs `service.method(...args)` for every `args` of `calls` concurrently; `{ type: 'stop' }` shuts it down.
 */
const path = require('node:path');
require('../../scripts/register-ts.cjs');

const { createStrapi } = require('@strapi/strapi');

(async () => {
  const appDir = path.resolve(__dirname, '../../playground');
  const app = createStrapi({ appDir, distDir: appDir, autoReload: false });
  app.log.level = 'error';
  await app.load();
  process.on('message', async (message) => {
    if (message.type === 'stop') {
      await app.destroy();
      process.exit(0);
    }
    if (message.type === 'call') {
      try {
        const service = app.plugin('consent').service(message.service);
        await Promise.all(message.calls.map((args) => service[message.method](...args)));
        process.send({ id: message.id, ok: true });
      } catch (error) {
        process.send({ id: message.id, error: String(error && error.message) });
      }
    }
  });
  process.send({ ready: true });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
