import type { Core } from '@strapi/strapi';
import type {
  Channel,
  ConsentAction,
  ConsentMethod,
  ConsentState,
  IdentifierType,
} from '../../../shared/contracts/domain';
import type { Purpose } from '../../../shared/contracts/purposes';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { everythingSuppressionReason, optOutAction } from '../domain/opt-out-rules';
import { WITHDRAWAL_LIMIT } from '../domain/rate-limit-rules';
import { requestContext } from '../domain/request-context';
import { GoneError } from '../errors';
import { getService } from '../utils/get-service';
import type { CaptureRequest } from './capture';
import type { NewEvent } from './ledger';
import type { Identifiers } from './subjects';

/** What one opt-out act changed, per purpose. */
export interface OptOutResult {
  subject: string;
  changed: { purpose: string; channel: Channel; action: ConsentAction }[];
}

const IDENTIFIER_TYPES: IdentifierType[] = ['email', 'phone', 'externalId'];

/**
 * Every way out (spec 4.1; C4, C5, D1–D9, E3): one-click unsubscribe, the preference centre, withdrawal
 * or objection by identifier, and objections an admin enters from a letter or a call. All of them come
 * through `record`, which writes the ledger under its lock, so the very next eligibility check sees the
 * change (D1) and the webhooks fire once it is committed (D7).
 */
const optOut = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  const activePurposes = async (keys?: string[]): Promise<Purpose[]> => {
    if (keys) return [...(await getService('purposes').byKeys(keys)).values()];
    return [...(await getService('purposes').byKeys(await getService('purposes').activeKeys())).values()];
  };

  return {
    /**
     * Withdraws (consent given or pending) or objects (legitimate interest, unless already objected), for
     * each purpose on each of its channels or only `channel`. Must run inside a transaction holding the
     * ledger lock.
     */
    async record(
      pseudonym: string,
      purposes: Purpose[],
      options: {
        channel?: Channel;
        method: ConsentMethod;
        actor: string;
        context?: Record<string, unknown>;
        evidence?: Record<string, unknown>;
      }
    ): Promise<OptOutResult> {
      const rows = await getService('ledger').statesOf(pseudonym, { purposes: purposes.map((p) => p.key) });
      const current = (purpose: string, channel: Channel): ConsentState =>
        rows.find((r: { purpose: string; channel: string }) => r.purpose === purpose && r.channel === channel)?.state ??
        'none';
      const events: NewEvent[] = [];
      for (const purpose of purposes) {
        const action = optOutAction(purpose);
        if (!action) continue;
        for (const channel of purpose.channels) {
          if (options.channel && channel !== options.channel) continue;
          const state = current(purpose.key, channel);
          // Consent is withdrawn where there is one to withdraw; an objection counts even before any
          // contact (C4), so it is recorded unless already there.
          if (action === 'withdrawn' ? !['granted', 'pending'].includes(state) : state === 'objected') continue;
          events.push({
            subject: pseudonym,
            purpose: purpose.key,
            channel,
            action,
            state: action,
            method: options.method,
            legalBasis: purpose.legalBasis,
            actor: options.actor,
            context: options.context ?? null,
            evidence: options.evidence ?? null,
          });
        }
      }
      await getService('ledger').append(events);
      return {
        subject: pseudonym,
        changed: events.map((e) => ({ purpose: e.purpose, channel: e.channel, action: e.action })),
      };
    },

    /** RFC 8058 one-click (E3): the purpose and channel of the link, nothing else asked. */
    async unsubscribe(token: string, request: CaptureRequest): Promise<OptOutResult> {
      const { payload } = getService('tokens').read(token, 'unsubscribe');
      const purposes = await activePurposes(payload.purposes);
      return strapi.db.transaction(async () => {
        await getService('ledger').lock();
        const subject = await getService('subjects').byPseudonym(payload.sub);
        // After erasure the person is gone; an old link must not act on what is left of them.
        if (!subject || subject.erasedAt) throw new GoneError('This person is no longer known', {});
        return this.record(payload.sub, purposes, {
          channel: payload.channel as Channel | undefined,
          method: 'one-click',
          actor: 'subject',
          context: { ...requestContext(request, config().ipStorage) },
        });
      });
    },

    /**
     * The public withdrawal route's limit: one hit per identifier given, counted before anything is read
     * or written, known or not (domain/rate-limit-rules WITHDRAWAL_LIMIT); 429 past `perIdentifier`.
     */
    async throttle(subject: Identifiers) {
      const subjects = getService('subjects');
      for (const { hash } of subjects.keys(subjects.normalise(subject))) {
        await getService('rate-limits').identifier(WITHDRAWAL_LIMIT.scope, hash);
      }
    },

    /**
     * Withdrawal or objection by identifier alone (C5, D2): the same for a known and an unknown person
     * (the caller answers 202 either way). An unknown person becomes a subject, so an objection to a
     * purpose they were never asked about is on record before anyone contacts them. `all` also puts every
     * identifier on the suppression list (for `channel`, or every channel), which outlives erasure (I2).
     */
    async withdraw(
      input: { subject: Identifiers; purposes: string[] | 'all'; channel?: Channel },
      options: { method: ConsentMethod; actor: string; request?: CaptureRequest; source: string; note?: string }
    ): Promise<OptOutResult> {
      const identifiers = getService('subjects').normalise(input.subject);
      const purposes = await activePurposes(input.purposes === 'all' ? undefined : input.purposes);
      // Events and suppression entries in one transaction: a failure leaves neither half behind.
      const result = await strapi.db.transaction(async () => {
        await getService('ledger').lock();
        const { subject } = await getService('subjects').resolve(identifiers, {});
        const recorded = await this.record(subject.pseudonym, purposes, {
          channel: input.channel,
          method: options.method,
          actor: options.actor,
          context: options.request ? { ...requestContext(options.request, config().ipStorage) } : undefined,
          evidence: options.note ? { note: options.note } : undefined,
        });
        if (input.purposes === 'all') {
          const subjects = getService('subjects');
          await getService('suppression').add(
            IDENTIFIER_TYPES.filter((type) => identifiers[type]).map((type) => ({
              identifierHash: subjects.hash(type, identifiers[type]!),
              identifierType: type,
              channel: input.channel ?? 'all',
              reason: everythingSuppressionReason(purposes),
              source: options.source,
            }))
          );
        }
        return recorded;
      });
      return result;
    },
  };
};

export default optOut;
export type OptOutService = ReturnType<typeof optOut>;
