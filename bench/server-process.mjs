/**
 * The bench app's Strapi in a child process (bench/server.cjs), in production mode on a free loopback port,
 * and the message protocol to it: `call(type, args)` answers what the server's handler returns. Shared by
 * the benchmark (run.mjs) and the statement trace (trace.mjs).
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/** `env` names the database (DATABASE_CLIENT and its settings). */
export const startBenchServer = async (env, { execArgv = [] } = {}) => {
  const port = await freePort();
  const child = fork(path.join(ROOT, 'bench', 'server.cjs'), [], {
    cwd: path.join(ROOT, 'bench', 'app'),
    execArgv,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      STRAPI_TELEMETRY_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map();
  const ready = new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m.ready) return resolve(m);
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    child.on('exit', (code) => {
      const error = new Error(`the server process exited (${code})`);
      reject(error);
      for (const p of pending.values()) p.reject(error);
    });
  });
  const info = await ready;
  const call = (type, args = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      child.send({ id, type, ...args });
    });
  return { child, port, base: `http://127.0.0.1:${port}`, info, call };
};
