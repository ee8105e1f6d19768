import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * The Chromium the browser tests drive, never one downloaded at test time. In this order: `CHROMIUM_PATH`;
 * a system Chromium or Chrome; else the one that arrives with `npm ci` inside the registry package
 * `@sparticuz/chromium` (the binary ships compressed in the package and is unpacked to the temp folder),
 * so that `npm test` passes on a machine that has only Node and npm.
 */
const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

const findChromium = async (): Promise<string> => {
  if (process.env.CHROMIUM_PATH) {
    if (fs.existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, which does not exist`);
  }
  const system = SYSTEM_BROWSERS.find((path) => fs.existsSync(path));
  if (system) return system;
  try {
    // In a plain Node process: Jest's module loader picks the package's ES module build and cannot run it.
    const script =
      "const c = require('@sparticuz/chromium'); (c.default ?? c).executablePath().then((p) => process.stdout.write(p))";
    return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: __dirname }).trim();
  } catch (error) {
    throw new Error(
      `No Chromium for the browser tests: none on the system, and the one in @sparticuz/chromium (installed by npm ci) could not be unpacked (${(error as Error).message}); set CHROMIUM_PATH`,
      { cause: error }
    );
  }
};

export const launchBrowser = async (): Promise<Browser> =>
  chromium.launch({
    executablePath: await findChromium(),
    headless: true,
    // The flags a closed network needs (no background networking, no component updates).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
