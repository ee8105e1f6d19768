import { Readable } from 'node:stream';
import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import {
  validateExportEvents,
  validateFindSubject,
  validateListEvents,
  validatePseudonym,
  validateStats,
} from '../validation/records';

/** Admin: the ledger explorer, the subject view and the dashboard's counts (spec 4.3). */
const records = () => ({
  async find(ctx: Context) {
    const { selection, page, pageSize } = await validateListEvents(ctx.query);
    ctx.body = await getService('records').search(selection, page, pageSize);
  },

  async export(ctx: Context) {
    const { selection, format } = await validateExportEvents(ctx.query);
    const day = new Date().toISOString().slice(0, 10);
    if (format === 'ndjson') {
      const lines = await getService('records').ndjson(selection);
      ctx.set('Content-Type', 'application/x-ndjson; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="consent-ledger-${day}.ndjson"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = Readable.from(lines);
      return;
    }
    const lines = await getService('records').csv(selection);
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="consent-events-${day}.csv"`);
    // Proxies must not buffer or keep a copy of an export.
    ctx.set('Cache-Control', 'no-store');
    ctx.body = Readable.from(lines);
  },

  async findSubject(ctx: Context) {
    const { type, value } = await validateFindSubject(ctx.query);
    ctx.body = { data: await getService('records').findSubject(type, value) };
  },

  async findOneSubject(ctx: Context) {
    const { pseudonym } = await validatePseudonym(ctx.params);
    ctx.body = { data: await getService('records').subject(pseudonym) };
  },

  async stats(ctx: Context) {
    const { from, days } = await validateStats(ctx.query);
    ctx.body = { data: await getService('records').stats(from, days) };
  },
});

export default records;
