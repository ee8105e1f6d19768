import type { Context } from 'koa';
import type { ContractTerms } from '../services/relationships';
import { PRINTABLE } from '../validation/common';

/** What a site's function may say of the contract its route created; every field has a server-side default. */
export interface RouteContract {
  reference?: string;
  startedAt?: string | Date;
  endedAt?: string | Date | null;
}

/**
 * The form hook's `relationship` option (C7): `true` records the created entry as a current contract
 * (reference: its documentId, from now, no end); a function of `{ entry, ctx }` returns the facts, or
 * `null` for "no contract this time" (an order that is only a quote). Either way the facts come from the
 * site's server: a visitor cannot vouch for a contract.
 */
export type RelationshipOption =
  | true
  | ((args: {
      entry: Record<string, unknown>;
      ctx: Context;
    }) => RouteContract | null | undefined | Promise<RouteContract | null | undefined>);

const date = (value: unknown): Date | null => {
  const parsed = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return parsed && Number.isFinite(parsed.getTime()) ? parsed : null;
};

/**
 * The contract a hooked route's created entry stands for, or null. A wrong answer of the site's own
 * function is a bug in the site's route, not bad input: it throws a plain Error naming the route, and the
 * transaction (entry, consent, relationship) rolls back.
 */
export const contractFromRoute = async (
  option: RelationshipOption,
  args: { entry: Record<string, unknown> | undefined; ctx: Context; route: string; now: Date }
): Promise<ContractTerms | null> => {
  const fail = (why: string): never => {
    throw new Error(`[consent] plugin::consent.capture on ${args.route}: relationship ${why}`);
  };
  const entry = args.entry ?? fail('needs the created entry as `data` in the route answer');
  const given = option === true ? {} : await option({ entry, ctx: args.ctx });
  if (given === null || given === undefined) return null;
  if (typeof given !== 'object') fail('must return { reference?, startedAt?, endedAt? } or null');
  const reference = given.reference ?? entry.documentId;
  if (typeof reference !== 'string' || !reference.trim() || reference.length > 128 || !PRINTABLE.test(reference)) {
    fail('reference must be printable text of 1 to 128 characters (default: the entry documentId)');
  }
  const startedAt = given.startedAt === undefined ? args.now : date(given.startedAt);
  if (!startedAt) fail('startedAt must be a date');
  const endedAt = given.endedAt == null ? null : date(given.endedAt);
  if (given.endedAt != null && !endedAt) fail('endedAt must be a date or null');
  if (endedAt && endedAt.getTime() < startedAt!.getTime()) fail('endedAt must not be before startedAt');
  return { reference: (reference as string).trim(), startedAt: startedAt!, endedAt };
};
