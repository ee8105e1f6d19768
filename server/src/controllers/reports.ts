import type { Context } from 'koa';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { jwsHeader } from '../domain/jws-verify';
import { reportPdf } from '../reports/report-pdf';
import { getService } from '../utils/get-service';
import { validateReportId, validateReportRequest } from '../validation/reports';

/** Admin: compliance reports (issue 22): generate, list, read as signed JSON, download as PDF. */
const reports = () => ({
  async create(ctx: Context) {
    const { maxSpanDays } = (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).reports;
    const { period, purposes } = await validateReportRequest(ctx.request.body, maxSpanDays, async (keys) => {
      const known = await getService('purposes').byKeys(keys);
      return keys.filter((k) => !known.has(k));
    });
    const admin = (ctx.state as { user?: { id: number } }).user;
    ctx.status = 201;
    ctx.body = { data: await getService('reports').generate(period, purposes, `admin:${admin?.id ?? 'unknown'}`) };
  },

  async find(ctx: Context) {
    // The purposes a report may cover, for the admin page: a role holding only `reports.manage` reads no catalogue.
    const purposes = (await getService('purposes').list()).map((p) => ({ key: p.key, name: p.name, active: p.active }));
    ctx.body = { data: await getService('reports').list(), meta: { purposes } };
  },

  async findOne(ctx: Context) {
    const { id } = (await validateReportId(ctx.params)) as { id: string };
    const { report, jws } = await getService('reports').find(id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: { id, report, jws } };
  },

  async pdf(ctx: Context) {
    const { id } = (await validateReportId(ctx.params)) as { id: string };
    const { report, jws, hash } = await getService('reports').find(id);
    const kid = jwsHeader(jws)?.kid;
    const jwksUrl = `${getService('settings').publicUrl()}/api/consent/jwks.json`;
    ctx.set('Content-Type', 'application/pdf');
    ctx.set(
      'Content-Disposition',
      `attachment; filename="consent-report-${report.period && (report.period as { from: string }).from}-${id.slice(0, 8)}.pdf"`
    );
    ctx.set('Cache-Control', 'no-store');
    ctx.body = reportPdf(report, hash, jwksUrl, typeof kid === 'string' ? kid : null);
  },
});

export default reports;
