import type { Core } from '@strapi/strapi';
import { shuttingDown } from '../errors';
import { queriesInFlight } from './in-flight';

interface Queued<In, Out> {
  input: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

/** The most items one transaction takes. */
const MAX_ITEMS = 64;
/** The longest a transaction waits for more items while they keep arriving. */
const MAX_WAIT_MS = 5;

/**
 * Group commit: items queued while a transaction is running are written together in the next one, so a
 * burst of N submissions costs one commit (one journal sync on SQLite, one WAL flush and one lock
 * hand-over on PostgreSQL and MySQL) instead of N. An idle server commits an item alone after one timer
 * turn (`gather`).
 *
 * Items are independent: if one fails, its group is rolled back and every item of it is retried in a
 * transaction of its own, so a bad item fails alone and the others are written exactly once.
 *
 * `write` records a group's inputs in the current transaction and answers one output per input, in order.
 *
 * `close()` (at shutdown) refuses new items with a 503, writes the items already queued and resolves once
 * no transaction of the group is running: every item is either committed and answered, or refused before
 * anything of it was written.
 */
export const groupCommit = <In, Out>(strapi: Core.Strapi, write: (inputs: In[]) => Promise<Out[]>) => {
  const queue: Queued<In, Out>[] = [];
  // Groups in flight at once. A second one overlaps its start (BEGIN, waiting for the ledger lock in the
  // database) with the first one's commit.
  const lanes = () => queriesInFlight(strapi);
  let running = 0;
  let closed = false;
  let idle: Array<() => void> = [];

  const transaction = (group: Queued<In, Out>[]) => strapi.db.transaction(() => write(group.map((item) => item.input)));

  const run = async (group: Queued<In, Out>[]) => {
    try {
      const results = await transaction(group);
      group.forEach((item, i) => item.resolve(results[i]));
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      for (const item of group) await run([item]);
    }
  };

  /**
   * Waits one timer turn at a time while the queue grows (an adaptive form of PostgreSQL's commit_delay).
   * Under load, requests finishing their checks join this transaction instead of the next one: measured
   * on SQLite with 10 clients, +30 % submissions per second and a lower median latency. An idle server
   * loses one turn (about a millisecond).
   */
  const gather = async () => {
    const until = performance.now() + MAX_WAIT_MS;
    let seen = 0;
    while (queue.length > seen && queue.length < MAX_ITEMS && performance.now() < until) {
      seen = queue.length;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };

  const drain = async () => {
    try {
      while (queue.length) {
        await gather();
        await run(queue.splice(0, MAX_ITEMS));
      }
    } finally {
      running -= 1;
      if (running === 0 && queue.length === 0) {
        for (const done of idle) done();
        idle = [];
      }
    }
  };

  /** Writes `input` in a group; answers its own output, or its own error. */
  const submit = (input: In): Promise<Out> =>
    new Promise<Out>((resolve, reject) => {
      if (closed) {
        reject(shuttingDown());
        return;
      }
      queue.push({ input, resolve, reject });
      // Started on the next turn of the event loop, so that requests ready in the same turn share the first
      // transaction; later ones queue behind it and share the next.
      if (running < lanes()) {
        running += 1;
        setImmediate(() => void drain());
      }
    });

  /** Stops taking items and resolves when the queued ones are committed (or failed) and no group is running. */
  const close = (): Promise<void> => {
    closed = true;
    if (running === 0 && queue.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => idle.push(resolve));
  };

  return Object.assign(submit, { close });
};
