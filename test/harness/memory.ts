import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Peak memory while some work runs in this process (the in-process Strapi's), to test that streaming
 * paths hold a bounded amount whatever the size. Two figures: what is allocated (heapUsed, including
 * garbage V8 has not collected yet: a loose bound) and what stays alive after a forced collection every
 * half second (often enough that the loose bound does not depend on when V8 chooses to collect on a busy machine) (heap plus Buffers and typed arrays, which live outside V8's heap: the tight bound).
 */
export interface MemoryPeaks<T> {
  result: T;
  elapsedMs: number;
  /** Growth of heapUsed at its peak, in bytes. */
  heapGrowth: number;
  /** Growth of the resident set at its peak, in bytes. */
  rssGrowth: number;
  /** Growth of live heap + array buffers after GC at its peak, in bytes. */
  liveGrowth: number;
  /** A one-line summary for the test log. */
  summary: string;
}

// Jest runs without --expose-gc; the flag can still be set at run time and `gc` read from a new context.
const collectGarbage = (): (() => void) => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
};

const live = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;

export const measureMemory = async <T>(work: () => Promise<T>): Promise<MemoryPeaks<T>> => {
  const gc = collectGarbage();
  // Off the stack that prepared the work, so that its temporaries are really gone from the baseline.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  const before = process.memoryUsage();
  const liveBefore = live();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  let peakLive = liveBefore;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const liveSampler = setInterval(() => {
    gc();
    peakLive = Math.max(peakLive, live());
  }, 500);
  const started = Date.now();
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(sampler);
    clearInterval(liveSampler);
  }
  const elapsedMs = Date.now() - started;
  const heapGrowth = peakHeap - before.heapUsed;
  const rssGrowth = peakRss - before.rss;
  const liveGrowth = peakLive - liveBefore;
  return {
    result,
    elapsedMs,
    heapGrowth,
    rssGrowth,
    liveGrowth,
    summary:
      `${elapsedMs} ms; live heap+buffers after GC +${mb(liveGrowth)} MB at peak; ` +
      `heapUsed ${mb(before.heapUsed)} → peak ${mb(peakHeap)} MB (+${mb(heapGrowth)}); ` +
      `rss ${mb(before.rss)} → peak ${mb(peakRss)} MB (+${mb(rssGrowth)})`,
  };
};
