/**
 * `fn` over `items` with at most `width` calls in flight, the results in the items' order. Reads of one
 * request split in chunks (a bulk check's 10,000 people in 20 queries) run one after the other otherwise:
 * on a client/server database the thread then idles while each query runs (a third of a bulk check on
 * PostgreSQL), where two in flight let the database work on one while this thread handles the other.
 */
export const overlapped = async <T, R>(items: T[], fn: (item: T) => Promise<R>, width = 2): Promise<R[]> => {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
};
