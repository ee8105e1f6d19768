import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Channel } from '../../../shared/contracts/domain';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { getService } from '../utils/get-service';
import type { Identifiers } from './subjects';

export interface MessageLinks {
  /** `List-Unsubscribe` header value: one HTTPS URI, then a mailto when configured (RFC 2369, 8058). */
  listUnsubscribe: string;
  /** `List-Unsubscribe-Post` header value (RFC 8058). */
  listUnsubscribePost: 'List-Unsubscribe=One-Click';
  /** The same one-click URL, for a visible link in the message body (E6). */
  unsubscribeUrl: string;
  /** The preference centre, where the person can leave one purpose or all of them, or come back (D5). */
  preferencesUrl: string;
}

/**
 * The opt-out links every marketing message must carry (D4, E1, E2, E6): signed, purpose-scoped tokens
 * that identify the person and the list by themselves. They do not expire: an unsubscribe link in an old
 * mail must keep working.
 */
const links = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  const base = () => `${getService('settings').publicUrl()}/api/consent`;

  return {
    /** The person's preference centre (D5): every purpose, to leave or to come back to. */
    preferences(pseudonym: string): string {
      return `${base()}/preferences/${getService('tokens').issue({ use: 'preferences', sub: pseudonym, purposes: [] })}`;
    },

    /** `channel`: the channel the unsubscribe link acts on; without one, every channel of the purpose. */
    forSubject(pseudonym: string, purpose: string, channel?: Channel): MessageLinks {
      const unsubscribeUrl = `${base()}/unsubscribe/${getService('tokens').issue({ use: 'unsubscribe', sub: pseudonym, purposes: [purpose], channel })}`;
      const preferencesUrl = this.preferences(pseudonym);
      const mailto = config().email.unsubscribeMailto;
      return {
        listUnsubscribe: [`<${unsubscribeUrl}>`, ...(mailto ? [`<mailto:${mailto}?subject=unsubscribe>`] : [])].join(
          ', '
        ),
        listUnsubscribePost: 'List-Unsubscribe=One-Click',
        unsubscribeUrl,
        preferencesUrl,
      };
    },

    /**
     * Links for an outgoing message to this person about this purpose. A recipient the ledger does not
     * know yet (legitimate-interest mail needs no prior record) becomes a subject, so the link works.
     */
    async forMessage(identifiers: Identifiers, purposeKey: string, channel?: Channel): Promise<MessageLinks> {
      const purpose = (await getService('purposes').byKeys([purposeKey])).get(purposeKey);
      if (!purpose) {
        throw new errors.ValidationError(`purpose: no purpose with key "${purposeKey}"`, {
          errors: [{ path: ['purpose'], message: `no purpose with key "${purposeKey}"` }],
        });
      }
      const normalised = getService('subjects').normalise(identifiers, 'query');
      const pseudonym = await strapi.db.transaction(async () => {
        await getService('ledger').lock();
        return (await getService('subjects').resolve(normalised, {})).subject.pseudonym;
      });
      // A mail's link acts on the mail's channel when the purpose has it (leaving the newsletter by email
      // keeps its SMS); otherwise on every channel of the purpose.
      const scope = channel ?? (identifiers.email && purpose.channels.includes('email') ? 'email' : undefined);
      return this.forSubject(pseudonym, purpose.key, scope);
    },
  };
};

export default links;
export type LinksService = ReturnType<typeof links>;
