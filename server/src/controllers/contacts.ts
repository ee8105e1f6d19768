import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateContacts } from '../validation/contacts';

/** Who called, for the event's `actor`: the credential, never a person's data (as subjects.ts). */
export const apiActor = (ctx: Context): string => {
  const auth = (ctx.state as { auth?: { strategy?: { name?: string }; credentials?: { id?: number | string } } }).auth;
  const id = auth?.credentials?.id;
  if (/api-token$/.test(auth?.strategy?.name ?? '') && id != null) return `api-token:${id}`;
  if (auth?.strategy?.name === 'users-permissions' && id != null) return `user:${id}`;
  return 'api';
};

/**
 * Server-to-server: `POST /api/consent/contacts`, the site reports that it contacted a person (C8) or
 * that the person clicked (I4). One contact answers `{ data: { eventId } }`, a batch `{ data: { eventIds } }`.
 */
const contacts = () => ({
  async create(ctx: Context) {
    const { batch, contacts: list } = await validateContacts((ctx.request as { body?: unknown }).body);
    const ids = await getService('contacts').record(list, apiActor(ctx), (i) => (batch ? ['contacts', String(i)] : []));
    ctx.status = 201;
    ctx.body = { data: batch ? { eventIds: ids } : { eventId: ids[0] } };
  },
});

export default contacts;
