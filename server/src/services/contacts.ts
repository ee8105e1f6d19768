import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { contactMethod } from '../domain/retention-rules';
import { getService } from '../utils/get-service';
import type { ContactInput } from '../validation/contacts';
import type { NewEvent } from './ledger';

/**
 * Contacts the site reports (C8, I4): each becomes a `contacted` event on the ledger, the proof of a use
 * of the consent, which starts the five years of §7a UWG again (retention-rules.ts `proofKeptUntil`) and,
 * for a click, the person's three years of I4. It never changes a consent state (consent-state.ts).
 */
const contacts = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Records every contact or none (any 4xx writes nothing); answers the event ids in order. */
  async record(list: ContactInput[], actor: string, path: (i: number) => string[] = () => []): Promise<string[]> {
    const subjects = getService('subjects');
    // Identifiers first: a malformed one is a 400 before anything is read.
    const identifiers = list.map((c, i) => subjects.normalise(c.subject, [...path(i), 'subject'].join('.')));
    const purposes = await getService('purposes').byKeys([...new Set(list.map((c) => c.purpose))]);
    const problems: { path: string[]; message: string }[] = [];
    list.forEach((c, i) => {
      const purpose = purposes.get(c.purpose);
      const at = [...path(i)];
      if (!purpose)
        problems.push({
          path: [...at, 'purpose'],
          message: `${[...at, 'purpose'].join('.')}: no purpose "${c.purpose}"`,
        });
      else if (!purpose.channels.includes(c.channel))
        problems.push({
          path: [...at, 'channel'],
          message: `${[...at, 'channel'].join('.')}: purpose "${c.purpose}" does not cover the channel "${c.channel}"`,
        });
    });
    if (problems.length) throw new errors.ValidationError(problems[0].message, { errors: problems });

    return strapi.db.transaction(async () => {
      const ledger = getService('ledger');
      await ledger.lock();
      // One lookup per identifier type for the whole batch, not one per contact.
      const people = await subjects.findMany(identifiers);
      const unknown = people.flatMap((p, i) => (p && !p.erasedAt ? [] : [i]));
      if (unknown.length) {
        const where = unknown.map((i) => [...path(i), 'subject'].join('.')).join(', ');
        throw new errors.NotFoundError(
          `${where}: nobody with these identifiers is known to the plugin. A contact is the use of a consent ` +
            'or of another legal basis on record: record the person first (a submission, an import), then their contacts.',
          { unknown }
        );
      }
      const open = await ledger.batch();
      await open.load(
        people.map((p) => p!.pseudonym),
        list.map((c) => c.purpose)
      );
      const events: NewEvent[] = list.map((c, i) => {
        const subject = people[i]!.pseudonym;
        const current = open.state(subject, c.purpose, c.channel);
        return {
          subject,
          purpose: c.purpose,
          channel: c.channel,
          action: 'contacted',
          // The state at the time of the report, as proof of what the contact relied on; unchanged.
          state: current?.state ?? 'none',
          method: contactMethod(c.kind),
          legalBasis: current?.legalBasis ?? purposes.get(c.purpose)!.legalBasis,
          actor,
          evidence: { kind: c.kind },
          occurredAt: new Date(c.occurredAt),
        };
      });
      const stored = open.add(events);
      await open.write();
      return stored.map((e) => e.eventId);
    });
  },
});

export default contacts;
export type ContactsService = ReturnType<typeof contacts>;
