import type { Core } from '@strapi/strapi';

interface Queued<In, Out> {
  input: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}


/**
 * Group commit: items queued while a transaction is running are written together in the next one, so a
 * burst of N submissions costs one commit (one journal sync on SQLite, one WAL flush and one lock
 * hand-over on PostgreSQL and MySQL) instead of N. An idle server commits an item alone, at once, so a
 * lone request waits for nothing.
 *
 * Items are independent: if one fails, its group is rolled back and every item of it is retried in a
 * transaction of its own, so a bad item fails alone and the others are written exactly once.
 */
export const groupCommit = <In, Out>(
  strapi: Core.Strapi,
  write: (input: In) => Promise<Out>,
  maxItems = 64
) => {
  const queue: Queued<In, Out>[] = [];
  let running = false;

  const transaction = (group: Queued<In, Out>[]) =>
    strapi.db.transaction(async () => {
      const results: Out[] = [];
      for (const item of group) results.push(await write(item.input));
      return results;
    });

  const run = async (group: Queued<In, Out>[]) => {
    try {
      const results = await transaction(group);
      group.forEach((item, i) => item.resolve(results[i]));
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      for (const item of group) await run([item]);
    }
  };

  const drain = async () => {
    running = true;
    try {
      while (queue.length) await run(queue.splice(0, maxItems));
    } finally {
      running = false;
    }
  };

  return (input: In): Promise<Out> =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      // Started on the next turn of the event loop, so that requests ready in the same turn share the first
      // transaction; later ones queue behind it and share the next.
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
    });
};
