/**
 * The group commit's shutdown (issue 20 part 4): `close()` writes the submissions already queued, waits for
 * the transactions running, and refuses later ones whole with a 503, so nothing acknowledged is lost and
 * nothing is half-written. A fake database: `transaction` runs its callback after a timer turn.
 */
import type { Core } from '@strapi/strapi';
import { groupCommit } from '../../server/src/database/group-commit';

const fakeStrapi = (client: string) =>
  ({
    db: {
      dialect: { client },
      transaction: async <T>(fn: () => Promise<T>) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return fn();
      },
    },
  }) as unknown as Core.Strapi;

describe.each(['sqlite', 'postgres'])('groupCommit.close on %s', (client) => {
  it('writes every queued item before it resolves, then refuses new ones with a 503', async () => {
    const written: number[] = [];
    const commit = groupCommit(fakeStrapi(client), async (inputs: number[]) => {
      written.push(...inputs);
      return inputs.map((i) => i * 10);
    });
    const queued = Array.from({ length: 100 }, (_, i) => commit(i));
    await commit.close();
    expect(written.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(await Promise.all(queued)).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));

    await expect(commit(100)).rejects.toMatchObject({ status: 503, name: 'ServiceUnavailableError' });
    expect(written).toHaveLength(100);
  });

  it('resolves at once when idle, and a failing item still fails alone', async () => {
    const commit = groupCommit(fakeStrapi(client), async (inputs: number[]) => {
      if (inputs.includes(3)) throw new Error('bad item');
      return inputs;
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => commit(i)));
    await commit.close();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    await expect(commit.close()).resolves.toBeUndefined();
  });
});
