#!/usr/bin/env node
/**
 * `npm run test:tarball`: proves the published artifact works, not only the sources.
 * Packs the plugin, creates a plain Strapi 5 app in a temporary folder outside the repository, installs
 * the tarball there like any npm dependency (no `resolve:` path: Strapi must discover it from
 * package.json), builds that app's admin panel with the plugin's admin bundle, boots it, and checks that
 * the content types and tables exist, the ledger refuses updates, and the plugin's routes answer.
 * Pass --keep to leave the app folder for inspection.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dev = rootPkg.devDependencies;

const run = (cmd, args, cwd, env = {}) => {
  console.log(`> ${cmd} ${args.join(' ')}   (in ${cwd})`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status}`);
};

const app = mkdtempSync(join(tmpdir(), 'consent-tarball-app-'));
try {
  run('npm', ['pack', '--pack-destination', app], root);
  const tarball = `strapi-plugin-consent-${rootPkg.version}.tgz`;

  const file = (path, content) => {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), content);
  };
  file(
    'package.json',
    JSON.stringify(
      {
        name: 'plain-strapi-app',
        private: true,
        version: '0.0.0',
        dependencies: {
          '@strapi/strapi': dev['@strapi/strapi'],
          '@strapi/plugin-users-permissions': dev['@strapi/plugin-users-permissions'],
          'better-sqlite3': dev['better-sqlite3'],
          react: dev.react,
          'react-dom': dev['react-dom'],
          'react-router-dom': dev['react-router-dom'],
          'styled-components': dev['styled-components'],
          'strapi-plugin-consent': `file:./${tarball}`,
        },
        allowScripts: { 'better-sqlite3': true, esbuild: true, '@swc/core': true },
      },
      null,
      2
    )
  );
  file(
    'config/server.js',
    `module.exports = ({ env }) => ({ host: '127.0.0.1', port: 0, app: { keys: ['k1', 'k2'] }, cron: { enabled: false }, logger: { updates: { enabled: false } } });\n`
  );
  file(
    'config/admin.js',
    `module.exports = () => ({ auth: { secret: 'a' }, apiToken: { salt: 'b' }, transfer: { token: { salt: 'c' } }, secrets: { encryptionKey: 'd' } });\n`
  );
  file(
    'config/database.js',
    `module.exports = () => ({ connection: { client: 'sqlite', connection: { filename: '.tmp/data.db' }, useNullAsDefault: true }, settings: { forceMigration: false } });\n`
  );
  // No `resolve`: an installed plugin is found through the app's dependencies.
  file(
    'config/plugins.js',
    `module.exports = () => ({ consent: { enabled: true, config: { secret: 'tarball-smoke-secret-0123456789abcdef', controller: { name: 'Smoke Ltd', address: 'Somewhere', contact: 'dpo@smoke.test' } } }, 'users-permissions': { config: { jwtSecret: 'j' } } });\n`
  );
  file('public/uploads/.gitkeep', '');
  file(
    'check.js',
    `
const assert = require('node:assert/strict');
const { createStrapi } = require('@strapi/strapi');
const http = require('node:http');

(async () => {
  const strapi = createStrapi({ appDir: __dirname, distDir: __dirname, autoReload: false });
  strapi.log.level = 'warn';
  await strapi.load();
  assert.ok(strapi.plugin('consent'), 'the plugin is loaded');
  assert.match(require.resolve('strapi-plugin-consent/strapi-server'), /node_modules\\/strapi-plugin-consent\\/dist\\/server\\/index\\.js$/);
  const uids = ['purpose', 'notice', 'form', 'subject', 'consent-event', 'consent-state', 'suppression'];
  for (const name of uids) {
    const ct = strapi.contentType('plugin::consent.' + name);
    assert.ok(ct, name + ' content type exists');
    assert.ok(await strapi.db.connection.schema.hasTable(ct.collectionName), ct.collectionName + ' table exists');
  }
  const event = await strapi.db.query('plugin::consent.consent-event').create({ data: {
    seq: 1, eventId: 'e1', subject: 's1', purpose: 'p', channel: 'email', action: 'granted', state: 'granted',
    method: 'form', legalBasis: 'consent', actor: 'subject', occurredAt: new Date(), prevHash: '0'.repeat(64), hash: '1'.repeat(64) } });
  await assert.rejects(strapi.db.query('plugin::consent.consent-event').update({ where: { id: event.id }, data: { state: 'withdrawn' } }), /append-only/);
  await assert.rejects(strapi.db.connection('consent_events').where({ id: event.id }).del(), /append-only/);

  strapi.server.mount();
  const server = strapi.server.httpServer.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const status = (path) => new Promise((resolve, reject) =>
    http.get({ host: '127.0.0.1', port: server.address().port, path }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject));
  assert.equal(await status('/consent/settings'), 401, 'admin route is guarded');
  assert.equal(await status('/consent/purposes'), 401, 'editor admin route is guarded');
  assert.equal(await status('/api/consent/forms/unknown-form'), 404, 'public form route answers');
  assert.equal(await status('/api/consent/forms/Bad%20Key'), 400, 'public form route validates');
  assert.equal(await status('/admin/'), 200, 'the built admin panel is served');
  server.close();
  await strapi.destroy();
  console.log('tarball smoke test: OK (' + uids.length + ' content types, ledger guarded, admin built and served)');
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
`
  );

  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
  run(join(app, 'node_modules', '.bin', 'strapi'), ['build'], app, { STRAPI_TELEMETRY_DISABLED: 'true' });
  run(process.execPath, ['check.js'], app, { NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' });
} finally {
  if (keep) console.log(`app kept in ${app}`);
  else rmSync(app, { recursive: true, force: true });
}
