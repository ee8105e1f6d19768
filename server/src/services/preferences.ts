import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Channel, ConsentState } from '../../../shared/contracts/domain';
import type { PublicPurpose } from '../../../shared/contracts/forms';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { grantableChannels } from '../domain/channel-identifiers';
import { maskedIdentifiers } from '../domain/masked-identifier';
import { grantWaitsForPhoneVerification } from '../domain/phone-verification';
import { requestContext } from '../domain/request-context';
import { GoneError } from '../errors';
import { getService } from '../utils/get-service';
import type { CaptureRequest } from './capture';
import type { NewEvent } from './ledger';

export interface PreferenceView {
  language: string;
  /** Whose preferences these are, partly masked (`a***@example.com`, `+33 6** ** ** 78`); see domain/masked-identifier. */
  addresses: string[];
  purposes: (PublicPurpose & { states: Partial<Record<Channel, ConsentState>> })[];
}

export interface PreferenceChange {
  locale?: string;
  choices: Record<string, boolean>;
  notices?: Record<string, { version: number; hash: string }>;
}

/**
 * The preference centre (D5): every active purpose with a choice, its current state per channel, and the
 * notice to show for granting it again. A `true` for a consent purpose grants it (with the notice shown,
 * like any opt-in, A9; the link came by mail to the person, so no second confirmation of the address); a
 * German consumer's phone/SMS grant stays `pending` until the number is verified, as on a form (B5, N16).
 * A `false` withdraws or objects. Leaving everything is one call with every purpose `false`.
 */
const preferences = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  const subjectOf = async (token: string) => {
    const { payload } = getService('tokens').read(token, 'preferences');
    const subject = await getService('subjects').byPseudonym(payload.sub);
    // After erasure an old link must not show or change anything (a re-grant would have no address).
    if (!subject || subject.erasedAt) throw new GoneError('This person is no longer known', {});
    return subject;
  };

  const choosable = async () => {
    const purposes = await getService('purposes').byKeys(await getService('purposes').activeKeys({ byKey: true }));
    return [...purposes.values()].filter((p) => p.mechanism !== 'none');
  };

  return {
    async view(token: string, locale?: string): Promise<PreferenceView> {
      const subject = await subjectOf(token);
      const language = locale ?? subject.language ?? 'en';
      const purposes = await choosable();
      const definition = await getService('forms').render(
        {
          key: 'preferences',
          name: '',
          purposes: purposes.map((p) => p.key),
          doubleOptIn: false,
          privacyPolicyUrl: null,
        },
        language
      );
      const states = await getService('ledger').statesOf(subject.pseudonym);
      const stateOf = (purpose: string, channel: string): ConsentState =>
        states.find((s: { purpose: string; channel: string }) => s.purpose === purpose && s.channel === channel)
          ?.state ?? 'none';
      return {
        language,
        addresses: maskedIdentifiers(subject),
        // A consent purpose is offered on the channels the person has an identifier for (A4, B5, N16); one
        // with none is left out, unless a consent on it is still there to withdraw. An objection needs none.
        purposes: definition.purposes.flatMap((p) => {
          let channels = p.channels;
          if (p.mechanism === 'opt-in') {
            const decision = grantableChannels(p.channels, { email: subject.email, phone: subject.phone });
            if (decision.ok) channels = decision.channels;
            else if (!p.channels.some((c) => ['granted', 'pending'].includes(stateOf(p.key, c)))) return [];
          }
          return [
            {
              ...p,
              channels,
              states: Object.fromEntries(channels.map((channel) => [channel, stateOf(p.key, channel)])),
            },
          ];
        }),
      };
    },

    /**
     * What a link's page calls the purposes: the title of the notice the form shows in that language (the
     * label the person ticked), else the purpose's name in it. `language` is the person's when known.
     */
    async titles(keys: string[], language: string): Promise<string[]> {
      const definition = await getService('forms').render(
        { key: 'unsubscribe', name: '', purposes: keys, doubleOptIn: false, privacyPolicyUrl: null },
        language
      );
      const names = await getService('purposes').namesIn(keys, language);
      return keys.map((k, i) => definition.purposes.find((p) => p.key === k)?.notice.title || names[i]);
    },

    /** The language of the person a link was issued for, if known (their form's language). */
    async languageOf(pseudonym: string): Promise<string | null> {
      return (await getService('subjects').byPseudonym(pseudonym))?.language ?? null;
    },

    async update(
      token: string,
      change: PreferenceChange,
      request: CaptureRequest
    ): Promise<Record<string, ConsentState>> {
      const subject = await subjectOf(token);
      const purposes = await choosable();
      const byKey = new Map(purposes.map((p) => [p.key, p]));
      for (const key of Object.keys(change.choices)) {
        if (!byKey.has(key)) {
          throw new errors.ValidationError(`choices.${key}: no purpose with a choice has this key`, {
            errors: [{ path: ['choices', key], message: 'no purpose with a choice has this key' }],
          });
        }
      }
      const grants = Object.keys(change.choices).filter(
        (k) => change.choices[k] && byKey.get(k)!.mechanism === 'opt-in'
      );
      const missing = grants.find((k) => !change.notices?.[k]);
      if (missing) {
        throw new errors.ValidationError(
          `notices.${missing} is required to grant "${missing}": send the notice shown`,
          {
            errors: [{ path: ['notices', missing], message: 'required to grant' }],
          }
        );
      }
      // No consent for a channel without its identifier (A4, B5, N16): 400 naming the field when the purpose
      // has none of them, else granted on the channels that have one.
      const grantChannels = new Map<string, Channel[]>();
      for (const key of grants) {
        const purpose = byKey.get(key)!;
        const decision = grantableChannels(purpose.channels, { email: subject.email, phone: subject.phone });
        if (!decision.ok) {
          const message = `${decision.missing.join(' and ')} ${decision.missing.length > 1 ? 'are' : 'is'} required to grant "${key}" (${purpose.channels.join(', ')}): the person has none on record`;
          throw new errors.ValidationError(message, {
            errors: decision.missing.map((field) => ({ path: field.split('.'), message })),
          });
        }
        grantChannels.set(key, decision.channels);
      }
      const notices = await getService('capture').verifyNotices(
        Object.fromEntries(grants.map((k) => [k, change.notices![k]]))
      );
      const context = { ...requestContext(request, config().ipStorage) };
      // Whose law applies is the person's recorded jurisdiction (C2), else the site's.
      const jurisdiction = subject.jurisdiction ?? config().jurisdiction;

      await strapi.db.transaction(async () => {
        await getService('ledger').lock();
        const rows = await getService('ledger').statesOf(subject.pseudonym);
        const reconsent = await getService('catalogue').reconsent(grants);
        const current = (purpose: string, channel: string) =>
          rows.find((r: { purpose: string; channel: string }) => r.purpose === purpose && r.channel === channel);
        const events: NewEvent[] = [];
        for (const key of grants) {
          const purpose = byKey.get(key)!;
          const notice = notices.get(key)!;
          for (const channel of grantChannels.get(key)!) {
            const row = current(key, channel);
            // A German consumer's number is not proven by the link in a mail: pending until verified (B5, N16).
            const waits = grantWaitsForPhoneVerification({
              channel,
              jurisdiction,
              audience: subject.audience,
              current: row,
            });
            const state = waits ? 'pending' : 'granted';
            if (row?.state === state && !reconsent(row) && row.noticeVersion === notice.version) continue;
            events.push({
              subject: subject.pseudonym,
              purpose: key,
              channel,
              action: waits ? 'requested' : 'granted',
              state,
              method: 'preference-center',
              legalBasis: purpose.legalBasis,
              actor: 'subject',
              noticeId: notice.id,
              noticeVersion: notice.version,
              noticeHash: notice.hash,
              noticeLanguage: notice.language,
              context,
              lifetimeDays: purpose.lifetimeDays,
            });
          }
        }
        await getService('ledger').append(events);
        const leaving = Object.keys(change.choices)
          .filter((k) => change.choices[k] === false)
          .map((k) => byKey.get(k)!);
        await getService('opt-out').record(subject.pseudonym, leaving, {
          method: 'preference-center',
          actor: 'subject',
          context,
        });
      });

      const after = await getService('ledger').statesOf(subject.pseudonym);
      return Object.fromEntries(
        purposes.map((p) => [
          p.key,
          (after.find(
            (s: { purpose: string; channel: string }) =>
              s.purpose === p.key && s.channel === (grantChannels.get(p.key) ?? p.channels)[0]
          )?.state ?? 'none') as ConsentState,
        ])
      );
    },
  };
};

export default preferences;
export type PreferencesService = ReturnType<typeof preferences>;
