import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as a receiver got it: the raw body, for checking its signature, and the parsed one. */
export interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { event: string; createdAt: string; consent: Record<string, any> };
}

/**
 * A real HTTP receiver for webhook tests. `respond` decides each answer per path (default 200); a
 * handler that never calls `res.end` leaves the request hanging, as a stuck receiver does.
 */
export const startReceiver = async () => {
  const received: ReceivedHook[] = [];
  const waiting: { test: () => boolean; resolve: () => void }[] = [];
  let respond: (hook: ReceivedHook, res: ServerResponse) => void = (_, res) => res.end('ok');
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const hook = { path: req.url ?? '/', headers: req.headers, raw, body: JSON.parse(raw) };
      received.push(hook);
      respond(hook, res);
      for (const w of waiting.splice(0)) {
        if (w.test()) w.resolve();
        else waiting.push(w);
      }
    });
  });
  const open = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    received,
    url: (path: string) => `${base}${path}`,
    at: (path: string) => received.filter((r) => r.path === path),
    setResponder(fn: typeof respond) {
      respond = fn;
    },
    /** Resolves once `count` requests reached `path` (the test's own timeout bounds the wait). */
    until(path: string, count: number) {
      const test = () => received.filter((r) => r.path === path).length >= count;
      return test() ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ test, resolve }));
    },
    close() {
      for (const s of open) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
