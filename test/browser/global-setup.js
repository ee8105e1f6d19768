/**
 * Builds what every browser test needs once, before any of them starts (jest runs the browser files in
 * parallel, and two builds into the same dist/ and playground/build would trip over each other): the
 * plugin (dist/) and the playground's admin panel. Each file then starts its own `strapi start` on its
 * own database without building (CONSENT_BROWSER_SKIP_BUILD, inherited by the workers).
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

module.exports = async () => {
  if (process.env.CONSENT_BROWSER_URL || process.env.CONSENT_BROWSER_SKIP_BUILD === 'true') return;
  const env = { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' };
  for (const [cmd, args, cwd] of [
    ['npm', ['run', 'build', '--silent'], ROOT],
    [
      process.execPath,
      [path.join(ROOT, 'node_modules/@strapi/strapi/bin/strapi.js'), 'build'],
      path.join(ROOT, 'playground'),
    ],
  ]) {
    const r = spawnSync(cmd, args, { cwd, env, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
  }
  process.env.CONSENT_BROWSER_SKIP_BUILD = 'true';
  process.env.CONSENT_BROWSER_BUILT_HERE = 'true';
};
