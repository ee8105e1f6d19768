import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../../server/src/constants';

/**
 * What the re-permission tests (repermission, repermission-messages) read and set up, against the
 * Strapi that `strapi()` returns once the file's `beforeAll` has booted it.
 */
export const repermissionKit = (strapi: () => Core.Strapi) => {
  const consent = () => strapi().plugin('consent');
  const knex = () => strapi().db.connection;
  const evidenceOf = (e: { evidence: unknown }) =>
    typeof e.evidence === 'string' ? JSON.parse(e.evidence) : e.evidence;
  const eventsOf = (pseudonym: string) => knex()(TABLE.event).where({ subject: pseudonym }).orderBy('seq');

  return {
    evidenceOf,
    eventsOf,
    subjectRow: (pseudonym: string) => knex()(TABLE.subject).where({ pseudonym }).first(),
    eventCount: async () => Number((await knex()(TABLE.event).count({ n: '*' }))[0].n),
    /** A person's `contacted` events that are re-permission requests, oldest first. */
    requestsOf: async (pseudonym: string) =>
      (await eventsOf(pseudonym)).filter(
        (e: { action: string; evidence: unknown }) =>
          e.action === 'contacted' && evidenceOf(e)?.kind === 're-permission'
      ),

    /**
     * Someone who subscribed `since` and did nothing themselves afterwards: a `granted` event by form at
     * that instant for each purpose, with the English notice of the time, and the subject row created
     * then. People are made "old" the way the ledger allows: nothing on it is ever changed.
     */
    subscriber: async (
      identifiers: { email?: string; phone?: string },
      since: Date,
      { purposes = ['partners'], channel = 'email', language = 'en', jurisdiction = 'fr' } = {}
    ): Promise<string> => {
      const pseudonym = await strapi().db.transaction(async () => {
        await consent().service('ledger').lock();
        const { subject } = await consent().service('subjects').resolve(identifiers, { language, jurisdiction });
        return subject.pseudonym as string;
      });
      const events = [];
      for (const purpose of purposes) {
        const notice = await strapi()
          .db.query(UID.notice)
          .findOne({ where: { purpose, language: 'en', status: 'published' } });
        events.push({
          subject: pseudonym,
          purpose,
          channel,
          action: 'granted',
          state: 'granted',
          method: 'form',
          legalBasis: 'consent',
          actor: 'subject',
          noticeId: notice.id,
          noticeVersion: notice.version,
          noticeHash: notice.contentHash,
          noticeLanguage: 'en',
          formKey: 'signup',
          occurredAt: since,
        });
      }
      await consent().service('ledger').append(events);
      await knex()(TABLE.subject).where({ pseudonym }).update({ created_at: since });
      return pseudonym;
    },

    /**
     * The messages a nightly run queued, once the worker is done with them: the request goes through the
     * messages service (consent-gated sending), not synchronously.
     */
    settled: async (ids: number[]) => {
      const messages = () => consent().service('messages');
      const jobs = [];
      for (const id of ids) {
        await messages().wake();
        let job = await messages().find(id);
        for (let tries = 0; job.status !== 'done' && tries < 200; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          await messages().wake();
          job = await messages().find(id);
        }
        expect(job.status).toBe('done');
        jobs.push(job);
      }
      return jobs;
    },
  };
};
