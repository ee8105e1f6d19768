/**
 * The form hook's `relationship` option (C7): the contract facts come from the site's server, with the
 * created entry's documentId and the time of recording as defaults; a wrong answer of the site's function
 * is refused before anything is recorded.
 */
import type { Context } from 'koa';
import { contractFromRoute } from '../../server/src/utils/route-contract';

const now = new Date('2026-03-01T10:00:00Z');
const ctx = {} as Context;
const entry = { documentId: 'abc123', id: 7 };
const run = (option: Parameters<typeof contractFromRoute>[0], e: Record<string, unknown> | undefined = entry) =>
  contractFromRoute(option, { entry: e, ctx, route: 'api::order.order.create', now });

describe('contractFromRoute (C7)', () => {
  it('C7: `true` records the entry documentId as a current contract from now', async () => {
    expect(await run(true)).toEqual({ reference: 'abc123', startedAt: now, endedAt: null });
  });

  it('C7: a function gives the reference and dates; what it leaves out takes the defaults', async () => {
    expect(await run(({ entry: e }) => ({ reference: `order-${e.id}`, endedAt: '2027-03-01T10:00:00Z' }))).toEqual({
      reference: 'order-7',
      startedAt: now,
      endedAt: new Date('2027-03-01T10:00:00Z'),
    });
    expect(await run(async () => ({ startedAt: new Date('2026-02-01T00:00:00Z') }))).toMatchObject({
      reference: 'abc123',
      startedAt: new Date('2026-02-01T00:00:00Z'),
    });
  });

  it('C7: null or undefined from the function records no contract (a quote, a free sample)', async () => {
    expect(await run(() => null)).toBeNull();
    expect(await run(() => undefined)).toBeNull();
  });

  it.each([
    ['an empty reference', () => ({ reference: ' ' }), /reference/],
    ['a reference over 128 characters', () => ({ reference: 'x'.repeat(129) }), /reference/],
    ['a control character in the reference', () => ({ reference: 'a\u0000b' }), /reference/],
    ['a start that is no date', () => ({ startedAt: 'soon' }), /startedAt/],
    ['an end that is no date', () => ({ endedAt: 'later' }), /endedAt/],
    ['an end before the start', () => ({ endedAt: '2020-01-01T00:00:00Z' }), /endedAt must not be before/],
    ['not an object', () => 'ORD-1' as never, /must return/],
  ])('C7: %s is refused naming the route', async (_what, option, message) => {
    await expect(run(option)).rejects.toThrow(message);
    await expect(run(option)).rejects.toThrow(/api::order\.order\.create/);
  });

  it('C7: a route that answers no entry cannot name a contract by default', async () => {
    const none = contractFromRoute(true, { entry: undefined, ctx, route: 'api::order.order.create', now });
    await expect(none).rejects.toThrow(/created entry/);
    await expect(run(true, {})).rejects.toThrow(/reference/);
  });
});
