import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { NewEvent } from '../../server/src/services/ledger';
import type { TestDatabase } from './database';
import { strapiEnv, type BootOptions } from './strapi';

/** A Strapi instance in a child process on the same test database (see child-process-main.js). */
export interface ChildInstance {
  append(batches: NewEvent[][]): Promise<void>;
  /** Calls `strapi.plugin('consent').service(service)[method](...args)` once per `calls` item, concurrently. */
  call(service: string, method: string, calls: unknown[][]): Promise<void>;
  /** The same, answering each call's result (serialised). */
  results<T = unknown>(service: string, method: string, calls: unknown[][]): Promise<T[]>;
  /** Rows per table, read by this instance (null: the table does not exist), e.g. with the plugin disabled. */
  count(tables: string[]): Promise<Record<string, number | null>>;
  /** The HTTP port, when started with `listen`. */
  port?: number;
  /** Sends a signal to the process (Strapi's own handler destroys the app on SIGTERM, then exits). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string | null>;
  stop(): Promise<void>;
}

export interface ChildOptions extends Pick<BootOptions, 'pluginConfig' | 'env' | 'seed'> {
  /** Serve HTTP on a free port (`port`). */
  listen?: boolean;
  /** Another app folder, e.g. an older release's playground (with CONSENT_PLUGIN_PATH in `env`). */
  appDir?: string;
}

export const startChildInstance = async (
  database: TestDatabase,
  options: ChildOptions = {}
): Promise<ChildInstance> => {
  const env = {
    ...process.env,
    ...strapiEnv(database, options),
    CONSENT_CHILD_LISTEN: options.listen ? 'true' : 'false',
    ...(options.appDir ? { CONSENT_CHILD_APP_DIR: options.appDir } : {}),
  } as NodeJS.ProcessEnv;
  const child: ChildProcess = fork(path.join(__dirname, 'child-process-main.js'), [], { env, stdio: 'inherit' });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal))
  );
  let early: (() => void) | undefined;
  const port = await new Promise<number | undefined>((resolve, reject) => {
    early = () => reject(new Error(`the second instance exited (${child.exitCode}) before it was ready`));
    child.once('exit', early);
    child.on('message', (m: { ready?: boolean; port?: number }) => m.ready && resolve(m.port));
  });
  child.off('exit', early!);
  let next = 0;
  const request = <T>(message: Record<string, unknown>) =>
    new Promise<T[]>((resolve, reject) => {
      const id = ++next;
      const onMessage = (m: { id?: number; ok?: boolean; error?: string; results?: T[] }) => {
        if (m.id !== id) return;
        child.off('message', onMessage);
        if (m.ok) resolve(m.results ?? []);
        else reject(new Error(m.error));
      };
      child.on('message', onMessage);
      child.send({ ...message, id });
    });
  const send = <T>(service: string, method: string, calls: unknown[][], results: boolean) =>
    request<T>({ type: 'call', service, method, calls, results });
  const call = async (service: string, method: string, calls: unknown[][]) =>
    void (await send(service, method, calls, false));
  return {
    call,
    results: <T>(service: string, method: string, calls: unknown[][]) => send<T>(service, method, calls, true),
    append: (batches) =>
      call(
        'ledger',
        'append',
        batches.map((batch) => [batch])
      ),
    count: async (tables) => (await request<Record<string, number | null>>({ type: 'count', tables }))[0],
    port,
    signal: (signal) => void child.kill(signal),
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      await exited;
    },
  };
};
