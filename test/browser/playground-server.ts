import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The playground as a newcomer runs it, for browser tests: the plugin built from source (dist/), the
 * playground's admin panel built with it, and `strapi start` on a fresh SQLite file with the demo content
 * and the documented first admin. Runs in a child process; stop() kills it and removes the data.
 */
const ROOT = path.resolve(__dirname, '../..');
const PLAYGROUND = path.join(ROOT, 'playground');
const STRAPI = path.join(ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');

export const ADMIN = { email: 'admin@example.com', password: 'Playground1!' };

/** A port nothing listens on now (the kernel's pick), for a server that must know its URL before it starts. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) => {
  const r = spawnSync(cmd, args, { cwd, env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
};

export interface PlaygroundServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The playground a browser test file runs against: the one at CONSENT_BROWSER_URL when set (already
 * running, for working on the tests; left running), else a fresh one of its own.
 */
export const startPlayground = async (): Promise<PlaygroundServer> => {
  if (process.env.CONSENT_BROWSER_URL) return { url: process.env.CONSENT_BROWSER_URL, stop: async () => undefined };
  const port = await freePort();
  // Its own mailbox port too: several playgrounds (test files, other checkouts) may run at once.
  const smtpPort = await freePort();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-browser-'));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: path.join(data, 'playground.db'),
    CONSENT_SECRET: 'browser-test-secret-0123456789abcdef0123',
    STRAPI_TELEMETRY_DISABLED: 'true',
    CRON_ENABLED: 'false',
    PLAYGROUND_SMTP_PORT: String(smtpPort),
  };
  if (process.env.CONSENT_BROWSER_SKIP_BUILD !== 'true') {
    run('npm', ['run', 'build', '--silent'], ROOT, env);
    run(process.execPath, [STRAPI, 'build'], PLAYGROUND, env);
  }

  const child: ChildProcess = spawn(process.execPath, [STRAPI, 'start'], { cwd: PLAYGROUND, env, stdio: 'pipe' });
  let log = '';
  child.stdout?.on('data', (b) => (log += b));
  child.stderr?.on('data', (b) => (log += b));

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the playground exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the playground did not answer within 120 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(data, { recursive: true, force: true });
      // The admin build is only for this run; leave the playground as a fresh clone has it.
      if (process.env.CONSENT_BROWSER_SKIP_BUILD !== 'true')
        fs.rmSync(path.join(PLAYGROUND, 'build'), { recursive: true, force: true });
    },
  };
};

/** A Super Admin JWT for the playground's admin API (the seeded admin, `ADMIN`). */
export const adminLogin = async (base: string): Promise<string> => {
  const login = await fetch(`${base}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  return (await login.json()).data.token;
};
