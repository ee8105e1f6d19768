import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../constants';

/**
 * A published notice version never changes and is never deleted (spec 3; A9): receipts and ledger events
 * point to it by id, version and hash. The notices service only ever edits drafts and retires the previous
 * version; this guard holds the same rule for every other Strapi path (query engine, Document Service).
 * The one change allowed to a published row is the retirement itself.
 */
const RETIRE_FIELDS = new Set(['status', 'retiredAt', 'updatedAt', 'updatedBy']);

type Where = Record<string, unknown>;
type Event = { params: { where?: Where; data?: Record<string, unknown> } };

const fixedRows = async (strapi: Core.Strapi, where: Where | undefined) =>
  (await strapi.db.query(UID.notice).findMany({ select: ['id', 'status'], where: where ?? {} })).filter(
    (r: { status: string }) => r.status !== 'draft'
  ) as Array<{ id: number; status: string }>;

export const subscribeNoticeGuard = (strapi: Core.Strapi) => {
  const beforeUpdate = async (event: Event) => {
    const fixed = await fixedRows(strapi, event.params.where);
    if (fixed.length === 0) return;
    const data = event.params.data ?? {};
    const isRetirement =
      data.status === 'retired' &&
      Object.keys(data).every((k) => RETIRE_FIELDS.has(k)) &&
      fixed.every((r) => r.status === 'published');
    if (!isRetirement) {
      throw new errors.ForbiddenError('A published notice version can never change; create a new version instead', {
        ids: fixed.map((r) => r.id),
      });
    }
  };
  const beforeDelete = async (event: Event) => {
    const fixed = await fixedRows(strapi, event.params.where);
    if (fixed.length) {
      throw new errors.ForbiddenError('Published and retired notice versions are kept as proof and cannot be deleted', {
        ids: fixed.map((r) => r.id),
      });
    }
  };

  strapi.db.lifecycles.subscribe({
    models: [UID.notice],
    beforeUpdate,
    beforeUpdateMany: beforeUpdate,
    beforeDelete,
    beforeDeleteMany: beforeDelete,
  });
};
