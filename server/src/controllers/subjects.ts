import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validatePseudonymParam, validateSubjectBody, validateSubjectQuery } from '../validation/subjects';

/** Who called a server-to-server route, for the ledger's `actor`: the credential, never a person's data. */
const apiActor = (ctx: Context): string => {
  const auth = (ctx.state as { auth?: { strategy?: { name?: string }; credentials?: { id?: number | string } } }).auth;
  const id = auth?.credentials?.id;
  // `content-api-token` in Strapi 5.54, `api-token` before.
  if (/api-token$/.test(auth?.strategy?.name ?? '') && id != null) return `api-token:${id}`;
  if (auth?.strategy?.name === 'users-permissions' && id != null) return `user:${id}`;
  return 'api';
};

const adminActor = (ctx: Context) => `admin:${(ctx.state as { user?: { id: number } }).user?.id ?? 'unknown'}`;

/**
 * Data-subject rights (spec 4.2, 4.3): the Art. 15/20 export and the Art. 17 erasure, for back ends by
 * identifier (API token) and for admins by pseudonym (`records.export`, `subjects.erase`).
 */
const subjects = () => ({
  /** `GET /api/consent/subjects/export?email=`: 404 when nobody is known under it (the caller is authenticated). */
  async export(ctx: Context) {
    const lookup = await validateSubjectQuery(ctx.query);
    const subject = await getService('rights').find(lookup);
    if (!subject) throw new errors.NotFoundError('No person is known under this identifier');
    ctx.body = { data: await getService('rights').export(subject.pseudonym) };
  },

  /** `POST /api/consent/subjects/erase` with `{ email }` (or `phone`, `externalId`, `subject`). */
  async erase(ctx: Context) {
    const lookup = await validateSubjectBody((ctx.request as { body?: unknown }).body);
    ctx.body = { data: await getService('rights').erase(lookup, { method: 'api', actor: apiActor(ctx) }) };
  },

  /** Admin: `GET /consent/subjects/:pseudonym/export`. */
  async adminExport(ctx: Context) {
    const { pseudonym } = await validatePseudonymParam(ctx.params);
    ctx.body = { data: await getService('rights').export(pseudonym) };
  },

  /** Admin: `POST /consent/subjects/:pseudonym/erase`, recorded with the admin as actor. */
  async adminErase(ctx: Context) {
    const { pseudonym } = await validatePseudonymParam(ctx.params);
    ctx.body = {
      data: await getService('rights').erase({ subject: pseudonym }, { method: 'admin', actor: adminActor(ctx) }),
    };
  },
});

export default subjects;
