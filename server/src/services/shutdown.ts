import type { Core } from '@strapi/strapi';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { shuttingDown } from '../errors';
import { getService } from '../utils/get-service';

/**
 * The instance's work in flight, so that a shutdown (SIGTERM, `strapi.destroy()`) loses nothing that was
 * acknowledged. Every request to the plugin's routes and every form-hook submission is admitted here; once
 * `drain()` starts, new ones are refused with a 503 before they touch the database, the ones admitted
 * before are waited for (at most `http.drainTimeoutMs`), and the submissions queued in the group commit are
 * written. Strapi closes the connections and the database only after the plugin's destroy returns.
 */
const shutdown = ({ strapi }: { strapi: Core.Strapi }) => {
  let closing = false;
  let inFlight = 0;
  let idle: Array<() => void> = [];

  const settled = () => {
    if (inFlight > 0) return;
    for (const done of idle) done();
    idle = [];
  };

  return {
    isClosing: () => closing,
    /** Units of work admitted and not yet done. */
    inFlight: () => inFlight,

    /** Admits one unit of work; answers the function that marks it done. A 503 once the instance is closing. */
    admit(): () => void {
      if (closing) {
        throw shuttingDown();
      }
      inFlight += 1;
      let finished = false;
      return () => {
        if (finished) return;
        finished = true;
        inFlight -= 1;
        if (closing) settled();
      };
    },

    /**
     * Stops admitting work, waits for the work admitted before, then writes the group commit's queue.
     * Answers how many units were still running when the wait ran out (they fail, or finish unanswered:
     * either way nothing of them is half-written, each submission being one transaction).
     */
    async drain(): Promise<{ abandoned: number }> {
      closing = true;
      const { drainTimeoutMs } = (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).http;
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => idle.push(resolve)),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, drainTimeoutMs);
          }),
        ]);
        clearTimeout(timer);
      }
      const abandoned = inFlight;
      if (abandoned > 0) {
        strapi.log.warn(
          `[consent] shutdown: ${abandoned} request(s) still running after http.drainTimeoutMs (${drainTimeoutMs} ms); they will fail or go unanswered, none is half-written`
        );
      }
      await getService('capture').close();
      // One more turn: the answers of the requests that just finished reach their sockets before Strapi
      // destroys the connections.
      await new Promise((resolve) => setImmediate(resolve));
      return { abandoned };
    },
  };
};

export default shutdown;
export type ShutdownService = ReturnType<typeof shutdown>;
