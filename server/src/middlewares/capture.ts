import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { captureRequest } from '../utils/capture-request';
import { getService } from '../utils/get-service';
import { validateSubmission } from '../validation/submission';

export interface CaptureConfig {
  /** The key of the plugin form whose purposes this route offers. */
  form: string;
}

/**
 * `plugin::consent.capture` (spec 5): consent on a site owner's own content-API route, e.g. the create
 * route of a `contact-request` collection. The consent part of the body (`consent: { subject, choices,
 * notices, locale?, context? }`) is checked before the route runs: an invalid one answers 400 and the route
 * never runs. The route then runs inside a transaction with the recording of the consent, so either both
 * the entry and its consent events exist, linked, or neither does.
 */
const capture = (config: CaptureConfig) => {
  if (!config?.form) throw new Error('[consent] plugin::consent.capture needs `config: { form: "<form key>" }`');
  return async (ctx: Context, next: Next) => {
    const request = ctx.request as { body?: Record<string, unknown> };
    const body = request.body ?? {};
    const consent = body.consent;
    if (!consent || typeof consent !== 'object' || Array.isArray(consent)) {
      throw new errors.ValidationError('consent is required: { subject, choices, notices }', {
        errors: [{ path: ['consent'], message: 'consent is required' }],
      });
    }
    await getService('rate-limits').client('capture', ctx.ip);
    const service = getService('capture');
    const plan = await (async () => {
      const submission = await validateSubmission({ ...consent, form: config.form });
      return service.prepare(submission, captureRequest(ctx));
    })().catch((error) => {
      // Name the fields as the client sent them: under `consent`.
      if (error instanceof errors.ValidationError) {
        const details = error.details as { errors?: { path: string[]; message: string }[] };
        error.details = {
          errors: (details.errors ?? []).map((e) => ({ ...e, path: ['consent', ...e.path] })),
        };
        error.message = `consent.${error.message}`;
      }
      throw error;
    });
    await service.throttle(plan);
    // The content API validates `data` only, but the consent part is no business of the route.
    delete body.consent;

    const result = await strapi.db.transaction(async () => {
      await next();
      if (ctx.status >= 400) return null;
      const data = (ctx.body as { data?: { id?: number; documentId?: string } } | undefined)?.data;
      const route = (ctx.state as { route?: { handler?: unknown } }).route;
      const result = await service.commit(plan, {
        collectionMethod: 'web-form-hook',
        evidence: {
          entry: {
            handler: typeof route?.handler === 'string' ? route.handler : null,
            documentId: data?.documentId ?? null,
            id: data?.id ?? null,
          },
        },
      });
      const response = (ctx.body ?? {}) as { meta?: Record<string, unknown> };
      ctx.body = { ...response, meta: { ...response.meta, consent: { receipt: result.receipt, states: result.states } } };
      return result;
    });
    // Mail only once the entry and the consent are committed.
    if (result) await service.deliver(result);
  };
};

export default capture;
