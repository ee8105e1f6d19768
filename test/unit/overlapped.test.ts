import { overlapped } from '../../server/src/utils/overlapped';

describe('overlapped (issue 21: bulk checks read their chunks two at a time)', () => {
  it('answers in the items’ order with at most `width` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const delays = [30, 5, 20, 1, 10, 2, 15];
    const out = await overlapped(
      delays,
      async (ms) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, ms));
        inFlight--;
        return ms * 2;
      },
      2
    );
    expect(out).toEqual(delays.map((ms) => ms * 2));
    expect(most).toBe(2);
  });

  it('rejects with the first failure and answers [] for no items', async () => {
    await expect(overlapped([1, 2, 3], async (n) => (n === 2 ? Promise.reject(new Error('no 2')) : n))).rejects.toThrow(
      'no 2'
    );
    await expect(overlapped([], async (n: number) => n)).resolves.toEqual([]);
  });
});
