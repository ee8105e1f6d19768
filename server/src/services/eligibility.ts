import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Channel } from '../../../shared/contracts/domain';
import type { Eligibility, SubjectRef } from '../../../shared/contracts/eligibility';
import { UID } from '../constants';
import { decideEligibility, type EligibilityState } from '../domain/eligibility-rules';
import { getService } from '../utils/get-service';

const CHUNK = 500;

interface StateRow {
  subject: string;
  state: EligibilityState['state'];
  expiresAt: string | Date | null;
  reconsentRequired: boolean;
}

const toState = (row: StateRow | undefined): EligibilityState | null =>
  row
    ? { state: row.state, expiresAt: row.expiresAt ? new Date(row.expiresAt) : null, reconsentRequired: !!row.reconsentRequired }
    : null;

/**
 * Eligibility (spec 4.2): reads `consent_states` (written in the same transaction as each ledger event, so
 * a withdrawal is visible to the very next check, D1) and applies domain/eligibility-rules.
 */
const eligibility = ({ strapi }: { strapi: Core.Strapi }) => {
  const purposeFor = async (key: string, channel: Channel | undefined) => {
    const purpose = (await getService('purposes').byKeys([key])).get(key);
    if (!purpose) {
      throw new errors.ValidationError(`purpose: no purpose with key "${key}"`, {
        errors: [{ path: ['purpose'], message: `no purpose with key "${key}"` }],
      });
    }
    if (!channel && purpose.channels.length > 1) {
      throw new errors.ValidationError(`channel is required: "${key}" is on ${purpose.channels.join(', ')}`, {
        errors: [{ path: ['channel'], message: 'channel is required for a purpose on several channels' }],
      });
    }
    return { purpose, channel: channel ?? purpose.channels[0] };
  };

  /** Pseudonyms for identifier references (normalised, then looked up by keyed hash), in chunks. */
  const resolve = async (refs: SubjectRef[]): Promise<(string | null)[]> => {
    const subjects = getService('subjects');
    const hashes = refs.map((ref) => {
      if ('subject' in ref) return null;
      const type = 'email' in ref ? 'email' : 'phone';
      try {
        const normalised = subjects.normalise({ [type]: (ref as Record<string, string>)[type] }, 'subject')[type];
        return normalised ? { type, hash: subjects.hash(type, normalised) } : undefined;
      } catch {
        return undefined; // not a valid address: nobody can be eligible under it
      }
    });
    const found = new Map<string, string>();
    for (const type of ['email', 'phone'] as const) {
      const wanted = [...new Set(hashes.filter((h) => h && h.type === type).map((h) => h!.hash))];
      for (let i = 0; i < wanted.length; i += CHUNK) {
        const rows = await strapi.db.query(UID.subject).findMany({
          select: ['pseudonym', `${type}Hash`],
          where: { [`${type}Hash`]: { $in: wanted.slice(i, i + CHUNK) } },
        });
        for (const row of rows) found.set(`${type}:${row[`${type}Hash`]}`, row.pseudonym);
      }
    }
    return refs.map((ref, i) => {
      if ('subject' in ref) return ref.subject;
      const h = hashes[i];
      return h ? (found.get(`${h.type}:${h.hash}`) ?? null) : null;
    });
  };

  const statesOf = async (pseudonyms: string[], purpose: string, channel: Channel) => {
    const unique = [...new Set(pseudonyms)];
    const map = new Map<string, StateRow>();
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows: StateRow[] = await strapi.db.query(UID.state).findMany({
        select: ['subject', 'state', 'expiresAt', 'reconsentRequired'],
        where: { purpose, channel, subject: { $in: unique.slice(i, i + CHUNK) } },
      });
      for (const row of rows) map.set(row.subject, row);
    }
    return map;
  };

  return {
    async check(purposeKey: string, channel: Channel | undefined, ref: SubjectRef, now = new Date()): Promise<Eligibility> {
      return (await this.checkMany(purposeKey, channel, [ref], now))[0];
    },

    /** One answer per reference, in order; a person unknown to the ledger is in state `none`. */
    async checkMany(
      purposeKey: string,
      channelAsked: Channel | undefined,
      refs: SubjectRef[],
      now = new Date()
    ): Promise<Eligibility[]> {
      const { purpose, channel } = await purposeFor(purposeKey, channelAsked);
      const pseudonyms = await resolve(refs);
      const states = await statesOf(pseudonyms.filter((p): p is string => !!p), purpose.key, channel);
      return pseudonyms.map((pseudonym) =>
        decideEligibility(purpose, channel, toState(pseudonym ? states.get(pseudonym) : undefined), now)
      );
    },
  };
};

export default eligibility;
export type EligibilityService = ReturnType<typeof eligibility>;
