#!/usr/bin/env node
/**
 * `npm run playground`: from a fresh clone to a running Strapi with the plugin, in one command.
 * 1. installs dependencies from the lockfile when they are missing or older than the lockfile;
 * 2. builds the plugin (the playground loads it like an installed package, from dist/);
 * 3. starts the playground with `strapi develop` (SQLite file in playground/.tmp, demo content seeded,
 *    first admin created; the URLs are printed once Strapi is up).
 * Only Node built-ins here: this runs before anything is installed.
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const run = (cmd, args, cwd = root) => {
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  console.log('> Installing dependencies (npm ci)');
  run(npm, ['ci', '--no-audit', '--no-fund']);
}

console.log('> Building the plugin');
run(npm, ['run', 'build']);

console.log('> Starting the playground (Ctrl+C to stop)');
const strapiBin = join(root, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');
const child = spawn(process.execPath, [strapiBin, 'develop', ...process.argv.slice(2)], {
  cwd: join(root, 'playground'),
  stdio: 'inherit',
  env: { STRAPI_TELEMETRY_DISABLED: 'true', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
