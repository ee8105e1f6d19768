import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { captureRequest } from '../utils/capture-request';
import { getService } from '../utils/get-service';
import { admitRequest } from './shutdown-gate';
import { contractFromRoute, type RelationshipOption } from '../utils/route-contract';
import { refuseRelationship, validateSubmission } from '../validation/submission';

export interface CaptureConfig {
  /** The key of the plugin form whose purposes this route offers. */
  form: string;
  /**
   * The route creates a contract (an order, a subscription): record it as the person's relationship
   * (C7) in the same transaction as the entry and the consent. `true`: the entry's documentId, from now;
   * or a function of `{ entry, ctx }` returning `{ reference?, startedAt?, endedAt? }` or null.
   */
  relationship?: RelationshipOption;
}

/**
 * `plugin::consent.capture` (spec 5): consent on a site owner's own content-API route, e.g. the create
 * route of a `contact-request` collection. The consent part of the body (`consent: { subject, choices,
 * notices, locale?, context? }`) is checked before the route runs: an invalid one answers 400 and the route
 * never runs. The route then runs inside a transaction with the recording of the consent, so either both
 * the entry and its consent events exist, linked, or neither does. With `relationship`, the contract the
 * route created is recorded for the person in that transaction too (C7); a `relationship` in the body is
 * refused, since only the site's server can vouch for a contract.
 */
const capture = (config: CaptureConfig) => {
  if (!config?.form) throw new Error('[consent] plugin::consent.capture needs `config: { form: "<form key>" }`');
  const option = config.relationship;
  if (option !== undefined && option !== true && typeof option !== 'function') {
    throw new Error(
      '[consent] plugin::consent.capture `relationship` must be true or a function ({ entry, ctx }) => { reference?, startedAt?, endedAt? } | null'
    );
  }
  const hook = async (ctx: Context, next: Next) => {
    const request = ctx.request as { body?: Record<string, unknown> };
    const body = request.body ?? {};
    // A contract is the site's server's to record, never the visitor's (C7).
    refuseRelationship(body);
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
      const route = (ctx.state as { route?: { handler?: unknown; method?: string; path?: string } }).route;
      const handler = typeof route?.handler === 'string' ? route.handler : null;
      const result = await service.commit(plan, {
        collectionMethod: 'web-form-hook',
        evidence: { entry: { handler, documentId: data?.documentId ?? null, id: data?.id ?? null } },
      });
      // The contract the route created, for the person the consent was recorded for: any failure here
      // rolls back the entry and the consent with it.
      const contract = option
        ? await contractFromRoute(option, {
            entry: data as Record<string, unknown> | undefined,
            ctx,
            route: handler ?? `${route?.method ?? ''} ${route?.path ?? ''}`.trim(),
            now: new Date(),
          })
        : null;
      const relationship = contract
        ? await getService('relationships').recordFor(result.subject, contract, 'form-hook')
        : null;
      const response = (ctx.body ?? {}) as { meta?: Record<string, unknown> };
      ctx.body = {
        ...response,
        meta: {
          ...response.meta,
          consent: { receipt: result.receipt, states: result.states, ...(relationship ? { relationship } : {}) },
        },
      };
      return result;
    });
    // Mail and tell `consent.submission` listeners only once the entry and the consent are committed, as
    // the public route does.
    if (result) await service.settle(plan, result);
  };
  // Work a shutdown waits for, like the plugin's own routes (middlewares/shutdown-gate); 503 once closing.
  return async (ctx: Context, next: Next) => {
    const done = admitRequest(ctx);
    try {
      await hook(ctx, next);
    } finally {
      done();
    }
  };
};

export default capture;
