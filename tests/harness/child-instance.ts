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
  stop(): Promise<void>;
}

export const startChildInstance = async (database: TestDatabase, options: Pick<BootOptions, 'env' | 'pluginConfig'> = {}): Promise<ChildInstance> => {
  const env = { ...process.env, ...strapiEnv(database, options) } as NodeJS.ProcessEnv;
  const child: ChildProcess = fork(path.join(__dirname, 'child-process-main.js'), [], { env, stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the second instance exited (${code}) before it was ready`)));
    child.on('message', (m: { ready?: boolean }) => m.ready && resolve());
  });
  child.removeAllListeners('exit');
  let next = 0;
  const call = (service: string, method: string, calls: unknown[][]) =>
    new Promise<void>((resolve, reject) => {
      const id = ++next;
      const onMessage = (m: { id?: number; ok?: boolean; error?: string }) => {
        if (m.id !== id) return;
        child.off('message', onMessage);
        if (m.ok) resolve();
        else reject(new Error(m.error));
      };
      child.on('message', onMessage);
      child.send({ id, type: 'call', service, method, calls });
    });
  return {
    call,
    append: (batches) => call('ledger', 'append', batches.map((batch) => [batch])),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
};
