#!/usr/bin/env node
/**
 * `npm run test:tarball`: proves the published artifact works, not only the sources.
 * Packs the plugin, creates a plain Strapi 5 app in a temporary folder outside the repository, installs
 * the tarball there like any npm dependency (no `resolve:` path: Strapi must discover it from
 * package.json), builds that app's admin panel with the plugin's admin bundle, boots it, and checks that
 * the content types and tables exist, a submission, an eligibility check and the form hook work over HTTP,
 * the ledger refuses updates, and the plugin's routes answer. The front-end entries (`./client`, `./react`)
 * import from plain ESM and CommonJS, their declarations type-check in a TypeScript project, and the client
 * records a submission against the booted app.
 * Pass --keep to leave the app folder for inspection.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  // The site owner's own route with the form hook (spec 5), as a plain app would declare it.
  file(
    'src/api/contact-request/content-types/contact-request/schema.json',
    JSON.stringify({
      kind: 'collectionType',
      collectionName: 'contact_requests',
      info: { singularName: 'contact-request', pluralName: 'contact-requests', displayName: 'Contact request' },
      options: { draftAndPublish: false },
      attributes: { name: { type: 'string', required: true }, message: { type: 'text', required: true } },
    })
  );
  file(
    'src/api/contact-request/controllers/contact-request.js',
    `module.exports = require('@strapi/strapi').factories.createCoreController('api::contact-request.contact-request');\n`
  );
  file(
    'src/api/contact-request/services/contact-request.js',
    `module.exports = require('@strapi/strapi').factories.createCoreService('api::contact-request.contact-request');\n`
  );
  file(
    'src/api/contact-request/routes/contact-request.js',
    `module.exports = require('@strapi/strapi').factories.createCoreRouter('api::contact-request.contact-request', { only: ['create'], config: { create: { auth: false, middlewares: [{ name: 'plugin::consent.capture', config: { form: 'contact' } }] } } });\n`
  );
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
  // The root entries for tools and local-plugin setups: the same built modules as the export map's.
  const pkgDir = require('node:path').dirname(require.resolve('strapi-plugin-consent/package.json'));
  assert.equal(require(pkgDir + '/strapi-server.js'), require('strapi-plugin-consent/strapi-server'), 'root strapi-server.js');
  assert.ok(require('node:fs').readFileSync(pkgDir + '/strapi-admin.js', 'utf8').includes("require('./dist/admin/index.js')"), 'root strapi-admin.js');
  assert.ok(require('node:fs').existsSync(pkgDir + '/dist/admin/index.js'), 'strapi-admin.js points at a shipped file');
  assert.ok(require('node:fs').existsSync(pkgDir + '/LICENSE'), 'LICENSE ships');
  const openapi = require('strapi-plugin-consent/openapi.json');
  assert.equal(openapi.openapi, '3.1.0', 'the OpenAPI description ships as strapi-plugin-consent/openapi.json');
  assert.ok(openapi.paths['/consent/submissions'], 'it describes the submissions route');
  const uids = ['purpose', 'notice', 'form', 'subject', 'consent-event', 'consent-state', 'suppression', 'receipt', 'rate-limit', 'relationship', 'import-batch', 'message', 'message-recipient', 'report', 'parental-consent', 'webhook-delivery'];
  for (const name of uids) {
    const ct = strapi.contentType('plugin::consent.' + name);
    assert.ok(ct, name + ' content type exists');
    assert.ok(await strapi.db.connection.schema.hasTable(ct.collectionName), ct.collectionName + ' table exists');
  }
  const consent = strapi.plugin('consent');
  await consent.service('purposes').create({ key: 'newsletter', name: 'Newsletter', legalBasis: 'consent', channels: ['email'] });
  await consent.service('purposes').create({ key: 'orders', name: 'Order updates', legalBasis: 'contract', channels: ['email'] });
  const draft = await consent.service('notices').createDraft({ purpose: 'newsletter', locale: 'en', title: 'Newsletter',
    body: 'Smoke Ltd sends its newsletter by email.', dataCategories: ['email address'], recipients: [], privacyPolicyUrl: 'https://smoke.test/privacy' });
  const notice = await consent.service('notices').publish(draft.id);
  for (const key of ['signup', 'contact']) {
    await consent.service('forms').create({ key, name: key, purposes: ['newsletter'], allowedOrigins: ['https://smoke.test'] });
  }
  const token = (await strapi.service('admin::api-token-content-api').create({ name: 'smoke', type: 'full-access', lifespan: null })).accessKey;

  strapi.server.mount();
  const server = strapi.server.httpServer.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const call = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.address().port, path, method,
      headers: { 'content-type': 'application/json', origin: 'https://smoke.test', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
  const status = async (path) => (await call('GET', path)).status;
  const consentPart = { subject: { email: 'Ada@Smoke.test' }, choices: { newsletter: true },
    notices: { newsletter: { version: notice.version, hash: notice.hash } } };

  const submitted = await call('POST', '/api/consent/submissions', { form: 'signup', ...consentPart });
  assert.equal(submitted.status, 201, 'submission accepted: ' + submitted.text);
  const { receipt, states } = submitted.json().data;
  assert.deepEqual(states, { newsletter: 'granted' });
  // The receipt verifies with nothing but node:crypto and the published JWK set.
  const jwks = (await call('GET', '/api/consent/jwks.json')).json();
  const [h, b, sig] = receipt.jws.split('.');
  const key = require('node:crypto').createPublicKey({ key: jwks.keys[0], format: 'jwk' });
  assert.ok(require('node:crypto').verify(null, Buffer.from(h + '.' + b), key, Buffer.from(sig, 'base64url')), 'receipt signature verifies');

  const eligible = await call('GET', '/api/consent/eligibility?purpose=newsletter&email=ada%40smoke.test', null, { authorization: 'Bearer ' + token });
  assert.equal(eligible.status, 200, eligible.text);
  assert.deepEqual(eligible.json().data, { eligible: true, state: 'granted', basis: 'consent', reasons: [] });
  assert.equal((await call('GET', '/api/consent/eligibility?purpose=newsletter&email=ada%40smoke.test')).status, 403, 'eligibility needs a token');
  // A contract purpose needs a current contract (C7), recorded server-to-server.
  const orders = () => call('GET', '/api/consent/eligibility?purpose=orders&email=ada%40smoke.test', null, { authorization: 'Bearer ' + token });
  assert.deepEqual((await orders()).json().data.reasons, ['no-contract']);
  const contract = await call('POST', '/api/consent/relationships', { subject: { email: 'ada@smoke.test' }, reference: 'ORD-1', startedAt: '2026-01-01T00:00:00Z' },
    { authorization: 'Bearer ' + token });
  assert.equal(contract.status, 201, 'relationship: ' + contract.text);
  assert.equal((await orders()).json().data.eligible, true, 'a current contract makes the contract purpose eligible');

  const hooked = await call('POST', '/api/contact-requests', { data: { name: 'Ada', message: 'Hello' }, consent: consentPart });
  assert.equal(hooked.status, 201, 'form hook: ' + hooked.text);
  assert.equal(hooked.json().meta.consent.states.newsletter, 'granted');
  const refused = await call('POST', '/api/contact-requests', { data: { name: 'Ada', message: 'Hello' }, consent: { ...consentPart, choices: { newsletter: 'yes' } } });
  assert.equal(refused.status, 400, 'form hook refuses invalid consent');
  assert.equal(await strapi.db.connection('contact_requests').count({ n: '*' }).then((r) => Number(r[0].n)), 1);
  const verified0 = await consent.service('ledger').verify();
  assert.deepEqual({ ok: verified0.ok, checked: verified0.checked, firstBadEvent: verified0.firstBadEvent, pruned: verified0.pruned, full: verified0.full, badCheckpoints: verified0.badCheckpoints }, { ok: true, checked: 2, firstBadEvent: null, pruned: 0, full: true, badCheckpoints: [] });
  assert.equal(verified0.checkpoint && verified0.checkpoint.count, 2, 'a passing verification leaves a signed checkpoint at the head');
  const again = await consent.service('ledger').verify({ from: 'checkpoint' });
  assert.deepEqual({ ok: again.ok, checked: again.checked }, { ok: true, checked: 0 }, 'a verification from the checkpoint reads nothing when nothing is new');

  // Audiences, then the person's rights: export (H1) and erasure (I1), which leaves them ineligible.
  const bearer = { authorization: 'Bearer ' + token };
  const audience = await call('GET', '/api/consent/audiences/newsletter?channel=email', null, bearer);
  assert.equal(audience.status, 200, 'audience: ' + audience.text);
  assert.deepEqual(audience.text.trim().split('\\n').map((l) => JSON.parse(l).email), ['ada@smoke.test']);
  const exported = await call('GET', '/api/consent/subjects/export?email=ada%40smoke.test', null, bearer);
  assert.equal(exported.status, 200, 'export: ' + exported.text);
  const document = exported.json().data;
  assert.equal(document.format, 'strapi-plugin-consent/subject-export@1');
  assert.equal(document.subject.email, 'ada@smoke.test');
  assert.equal(document.events.length, 2);
  assert.equal(document.notices[0].body, 'Smoke Ltd sends its newsletter by email.');
  const erased = await call('POST', '/api/consent/subjects/erase', { email: 'ada@smoke.test' }, bearer);
  assert.equal(erased.status, 200, 'erase: ' + erased.text);
  assert.equal(erased.json().data.status, 'erased');
  const after = await call('GET', '/api/consent/eligibility?purpose=newsletter&email=ada%40smoke.test', null, bearer);
  assert.equal(after.json().data.eligible, false, 'erased: not eligible');
  const subjects = await strapi.db.connection('consent_subjects').whereNotNull('email').count({ n: '*' });
  assert.equal(Number(subjects[0].n), 0, 'no email left after erasure');
  assert.equal((await consent.service('ledger').verify()).ok, true, 'the chain holds after erasure');

  // The proof, checked offline by the package's own command (npx, from this app's node_modules/.bin):
  // the NDJSON export through the admin API, then the same file with one event edited.
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({ email: 'admin@smoke.test', password: 'Smoke-password-1', firstname: 'Smoke', lastname: 'Admin',
    isActive: true, registrationToken: null, roles: [superAdmin.id] });
  const adminToken = (await call('POST', '/admin/login', { email: 'admin@smoke.test', password: 'Smoke-password-1' })).json().data.token;
  const ndjson = await call('GET', '/consent/events/export?format=ndjson', null, { authorization: 'Bearer ' + adminToken });
  assert.equal(ndjson.status, 200, 'NDJSON export: ' + ndjson.text);
  const fs = require('node:fs');
  fs.writeFileSync('ledger.ndjson', ndjson.text);
  fs.writeFileSync('jwks.json', JSON.stringify(jwks));
  const verifyCli = (file) => require('node:child_process').spawnSync('npx', ['--no', 'strapi-plugin-consent', 'verify', file, '--jwks', 'jwks.json'], { cwd: __dirname, encoding: 'utf8' });
  const verified = verifyCli('ledger.ndjson');
  assert.equal(verified.status, 0, 'npx strapi-plugin-consent verify: ' + verified.stdout + verified.stderr);
  assert.match(verified.stdout, /receipts: [1-9]\\d* signatures verified/);
  const lines = ndjson.text.split('\\n');
  lines[1] = lines[1].replace('"granted"', '"refused"');
  fs.writeFileSync('edited.ndjson', lines.join('\\n'));
  const edited = verifyCli('edited.ndjson');
  assert.equal(edited.status, 1, 'an edited export fails: ' + edited.stdout + edited.stderr);
  assert.match(edited.stderr, /FAILED line 2 \\(event seq 1/);

  // The browser client, as installed, against this app: loads the form, sends one tick, gets the receipt.
  const { createConsentForm } = require('strapi-plugin-consent/client');
  const client = createConsentForm({ form: 'signup', locale: 'en', baseUrl: 'http://127.0.0.1:' + server.address().port, gpc: false, pageUrl: null });
  assert.equal((await client.load()).status, 'ready', 'client loads the form');
  assert.deepEqual(client.getState().choices, { newsletter: false }, 'boxes start unticked');
  client.setChoice('newsletter', true);
  const sent = await client.submit({ subject: { email: 'grace@smoke.test' } });
  assert.equal(sent.status, 'submitted', 'client submission: ' + JSON.stringify(sent.error));
  assert.equal(sent.result.states.newsletter, 'granted');

  // I4: a French subscriber is asked once before their three years end (queued as one message through the
  // messages service, sent by its worker through this app's email plugin); the answer link is served.
  const french = await call('POST', '/api/consent/submissions', { form: 'signup', ...consentPart, subject: { email: 'bea@smoke.test', jurisdiction: 'fr' } });
  assert.equal(french.status, 201, 'French sign-up: ' + french.text);
  const asked = await consent.service('retention').requestRepermission(new Date(Date.now() + 1130 * 86400000));
  assert.equal(asked.requested, 1, 're-permission: ' + JSON.stringify(asked));
  assert.equal(asked.messages.length, 1, 'the request is queued as one message: ' + JSON.stringify(asked));
  assert.equal(await status('/api/consent/renew/' + 'a'.repeat(20) + '.' + 'b'.repeat(43)), 400, 'the re-permission link route answers');

  const event = await strapi.db.query('plugin::consent.consent-event').findOne({ where: { seq: 1 } });
  assert.ok(event, 'the ledger holds the submission');
  const guarded = await strapi.db.query('plugin::consent.consent-event').create({ data: {
    seq: 1000, eventId: 'e1', subject: 's1', purpose: 'p', channel: 'email', action: 'granted', state: 'granted',
    method: 'form', legalBasis: 'consent', actor: 'subject', occurredAt: new Date(), prevHash: '0'.repeat(64), hash: '1'.repeat(64) } });
  await assert.rejects(strapi.db.query('plugin::consent.consent-event').update({ where: { id: guarded.id }, data: { state: 'withdrawn' } }), /append-only/);
  await assert.rejects(strapi.db.connection('consent_events').where({ id: event.id }).del(), /append-only/);

  assert.equal(await status('/consent/settings'), 401, 'admin route is guarded');
  assert.equal(await status('/consent/purposes'), 401, 'editor admin route is guarded');
  assert.equal(await status('/api/consent/forms/unknown-form'), 404, 'public form route answers');
  assert.equal(await status('/api/consent/forms/Bad%20Key'), 400, 'public form route validates');
  assert.equal(await status('/admin/'), 200, 'the built admin panel is served');
  server.close();
  await strapi.destroy();
  console.log('tarball smoke test: OK (' + uids.length + ' content types, submission with a verified receipt, eligibility by API token, form hook, audience, export, erasure, offline verify command, browser client, re-permission request, ledger guarded, admin built and served)');
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
`
  );

  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);

  // ./client and ./react in a plain front-end project next to the app (not inside it: @types/react at the
  // app's top level makes npm nest @radix-ui/react-tooltip, which the app's admin build must resolve).
  // A plain `npm install`: every peer of the plugin is optional, so a front end gets the client, not Strapi.
  const front = join(app, 'front');
  const frontFile = (path, content) => file(join('front', path), content);
  frontFile(
    'package.json',
    JSON.stringify({
      name: 'plain-front-end',
      private: true,
      version: '0.0.0',
      dependencies: {
        react: dev.react,
        typescript: dev.typescript,
        '@types/react': dev['@types/react'],
        'strapi-plugin-consent': `file:../${tarball}`,
      },
    })
  );
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], front);
  for (const peer of [
    '@strapi/strapi',
    '@strapi/utils',
    '@strapi/design-system',
    'styled-components',
    'react-router-dom',
  ]) {
    if (existsSync(join(front, 'node_modules', peer)))
      throw new Error(`the front end got ${peer} installed: the plugin's peers must be optional`);
  }
  console.log('front end: no Strapi peer installed: OK');
  const clientNames = ['createConsentForm', 'mountConsentPurposes', 'readGpc', 'ConsentApiError'];
  const reactNames = ['useConsentForm', 'ConsentPurposes', 'ConsentPurpose', 'FieldError', 'createConsentForm'];
  const expectFunctions = (c, r) =>
    `for (const n of ${JSON.stringify(clientNames)}) if (typeof ${c}[n] !== 'function') throw new Error('client: ' + n);` +
    `for (const n of ${JSON.stringify(reactNames)}) if (typeof ${r}[n] !== 'function') throw new Error('react: ' + n);`;
  run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import * as c from 'strapi-plugin-consent/client'; import * as r from 'strapi-plugin-consent/react'; ${expectFunctions('c', 'r')} console.log('ESM import of ./client and ./react: OK');`,
    ],
    front
  );
  run(
    process.execPath,
    [
      '-e',
      `const c = require('strapi-plugin-consent/client'); const r = require('strapi-plugin-consent/react'); ${expectFunctions('c', 'r')} console.log('require() of ./client and ./react: OK');`,
    ],
    front
  );
  frontFile(
    'types-check.ts',
    `import { createConsentForm, type ConsentFormState, type CreateSubmission, type FormDefinition, type Receipt } from 'strapi-plugin-consent/client';
import { ConsentPurposes, useConsentForm, type UseConsentForm } from 'strapi-plugin-consent/react';
const body: CreateSubmission.Request['body'] = { form: 'signup', subject: { email: 'ada@smoke.test' }, choices: { newsletter: true } };
const state: ConsentFormState = createConsentForm({ form: body.form }).getState();
const definition: FormDefinition | null = state.definition;
const receipt: Receipt | undefined = state.result?.receipt;
const hook: (options: { form: string }) => UseConsentForm = useConsentForm;
export { definition, receipt, hook, ConsentPurposes };
`
  );
  // What a bundler-based front end (Vite, Next) and a Node ESM/CJS consumer resolve, library files included.
  for (const [module, resolution] of [
    ['esnext', 'bundler'],
    ['nodenext', 'nodenext'],
  ]) {
    run(
      join(front, 'node_modules', '.bin', 'tsc'),
      [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        'false',
        '--target',
        'es2022',
        '--jsx',
        'react-jsx',
        '--module',
        module,
        '--moduleResolution',
        resolution,
        '--types',
        'react',
        'types-check.ts',
      ],
      front
    );
  }
  console.log('types of ./client and ./react: OK');

  run(join(app, 'node_modules', '.bin', 'strapi'), ['build'], app, { STRAPI_TELEMETRY_DISABLED: 'true' });
  run(process.execPath, ['check.js'], app, { NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' });
} finally {
  if (keep) console.log(`app kept in ${app}`);
  else rmSync(app, { recursive: true, force: true });
}
