import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  AUDIENCE_CONTENT_TYPES,
  AUDIENCE_CSV_COLUMNS,
  type AudienceFormat,
  type AudienceMember,
} from '../../../shared/contracts/audiences';
import type { Channel, Jurisdiction } from '../../../shared/contracts/domain';
import { TABLE } from '../constants';
import { csvRow } from '../utils/csv';
import { getService } from '../utils/get-service';
import type { PagePerson, PageState } from './eligibility';

/**
 * Rows read per query. A page of 1,000 costs a handful of queries (the page, its people, their
 * suppression entries) and well under a megabyte, whatever the audience's size.
 */
const PAGE = 1000;
// Past this many bytes waiting in the stream, the next page is read only once the client has taken them.
const HIGH_WATER_MARK = 64 * 1024;

// Read with knex, not the query engine: hydrating 1,000 rows through the engine costs more than the
// queries themselves, and these pages are the whole cost of an audience.
const SUBJECT_COLUMNS = [
  'id',
  'pseudonym',
  'email',
  'phone',
  'external_id',
  'email_hash',
  'phone_hash',
  'external_id_hash',
  'audience',
  'jurisdiction',
  'child',
  'child_until',
  'erased_at',
];

interface SubjectPageRow extends PagePerson {
  id: number;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  erasedAt: unknown;
}

const toPerson = (r: Record<string, any>): SubjectPageRow => ({
  id: Number(r.id),
  pseudonym: r.pseudonym,
  email: r.email,
  phone: r.phone,
  externalId: r.external_id,
  emailHash: r.email_hash,
  phoneHash: r.phone_hash,
  externalIdHash: r.external_id_hash,
  audience: r.audience,
  jurisdiction: r.jurisdiction,
  child: r.child,
  childUntil: r.child_until,
  erasedAt: r.erased_at,
});

// Dates come back as Date (PostgreSQL, MySQL) or epoch milliseconds (SQLite): the rules read both.
const toState = (r: Record<string, any>): PageState & { id: number } => ({
  id: Number(r.id),
  subject: r.subject,
  state: r.state,
  expiresAt: r.expires_at == null ? null : new Date(r.expires_at),
  noticeId: r.notice_id == null ? null : Number(r.notice_id),
  grantedAt: r.granted_at == null ? null : new Date(r.granted_at),
  lastEventSeq: r.last_event_seq ?? null,
});

export interface AudienceOptions {
  /** Overrides the people's own and the site's jurisdiction. */
  jurisdiction?: Jurisdiction;
  /** The instant every person is judged at (the rules are date-effective); defaults to the start. */
  now?: Date;
}

export const formatMember = (member: AudienceMember, format: AudienceFormat): string =>
  format === 'csv' ? csvRow(AUDIENCE_CSV_COLUMNS.map((c) => member[c])) : `${JSON.stringify(member)}\n`;

/**
 * Audiences (spec 4.2): every person eligible now for a purpose on a channel, read page by page (keyset
 * on the id, so each page is one indexed range query whatever how far in) and judged with the eligibility
 * service's own rules, so an audience never says more than `GET /api/consent/eligibility` would about each
 * of its people. Memory stays flat: one page is held at a time, and the next is read only when the client
 * has taken the previous one (stream backpressure).
 *
 * Where the candidates come from:
 * - consent purposes: the `granted` states of the purpose and channel (no other state can be eligible);
 * - legitimate interest, contract, legal obligation: every person known to the ledger (nobody has to opt
 *   in), minus objections, the contact rules of their channel, audience and jurisdiction, and (marketing
 *   only) the suppression lists. The plugin does not know who holds a contract: for a contract purpose the
 *   audience is everyone known who has not objected; intersect it with your customers.
 *
 * Erased people, and people whose unconfirmed address was forgotten, have no identifier: never listed.
 */
const audiences = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  /**
   * Consent purposes: the `granted` states with their people, by state id, in one query: the planner walks
   * the states in id order (the index on (purpose, channel, state) holds it on SQLite and MySQL; the
   * primary key on PostgreSQL) and looks each person up by pseudonym, so each page starts where the last
   * one ended and costs the same however far in.
   */
  async function* grantedPages(purpose: string, channel: Channel) {
    let after = 0;
    for (;;) {
      const rows: Record<string, any>[] = await knex()({ st: TABLE.state })
        .join({ s: TABLE.subject }, 's.pseudonym', 'st.subject')
        .select([
          'st.id as state_id',
          'st.state',
          'st.expires_at',
          'st.notice_id',
          'st.granted_at',
          'st.last_event_seq',
          ...SUBJECT_COLUMNS.map((c) => `s.${c}`),
        ])
        .where({ 'st.purpose': purpose, 'st.channel': channel, 'st.state': 'granted' })
        .andWhere('st.id', '>', after)
        .whereNull('s.erased_at')
        .where((q) => q.whereNotNull('s.email').orWhereNotNull('s.phone').orWhereNotNull('s.external_id'))
        .orderBy('st.id', 'asc')
        .limit(PAGE);
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1].state_id);
      const states = new Map(
        rows.map((r) => [r.pseudonym as string, toState({ ...r, id: r.state_id, subject: r.pseudonym })])
      );
      yield { people: rows.map(toPerson), states };
      if (rows.length < PAGE) return;
    }
  }

  /** Other bases: every person known to the ledger who still has an identifier, by id. */
  async function* knownPages() {
    let after = 0;
    for (;;) {
      const people = (
        await knex()(TABLE.subject)
          .select(SUBJECT_COLUMNS)
          .where('id', '>', after)
          .whereNull('erased_at')
          .where((q) => q.whereNotNull('email').orWhereNotNull('phone').orWhereNotNull('external_id'))
          .orderBy('id', 'asc')
          .limit(PAGE)
      ).map(toPerson);
      if (people.length === 0) return;
      after = people[people.length - 1].id;
      yield { people, states: undefined };
      if (people.length < PAGE) return;
    }
  }

  return {
    /**
     * Checks the purpose and channel (400 for an unknown purpose, a missing channel when it has several,
     * or a channel it does not cover) before anything is streamed, then answers the audience as pages of
     * members. `now` is fixed at the start, so the whole audience is judged at one instant.
     */
    async pages(
      purposeKey: string,
      channelAsked: Channel | undefined,
      options: AudienceOptions = {}
    ): Promise<{ purpose: string; channel: Channel; pages: AsyncGenerator<AudienceMember[]> }> {
      const eligibility = getService('eligibility');
      const { purpose, channel } = await eligibility.purposeFor(purposeKey, channelAsked);
      if (!purpose.channels.includes(channel)) {
        const message = `"${purpose.key}" is not on ${channel}: it is on ${purpose.channels.join(', ')}`;
        throw new errors.ValidationError(`channel: ${message}`, { errors: [{ path: ['channel'], message }] });
      }
      const now = options.now ?? new Date();

      async function* pages(): AsyncGenerator<AudienceMember[]> {
        const source = purpose.legalBasis === 'consent' ? grantedPages(purpose.key, channel) : knownPages();
        for await (const { people, states } of source) {
          if (people.length === 0) continue;
          const verdicts = await eligibility.checkPage(purpose, channel, people, {
            now,
            jurisdiction: options.jurisdiction,
            states,
          });
          const members: AudienceMember[] = [];
          people.forEach((person, i) => {
            const verdict = verdicts[i];
            if (!verdict.eligible) return;
            members.push({
              subject: person.pseudonym,
              ...(person.email ? { email: person.email } : {}),
              ...(person.phone ? { phone: person.phone } : {}),
              ...(person.externalId ? { externalId: person.externalId } : {}),
              state: verdict.state,
              basis: verdict.basis,
            });
          });
          if (members.length) yield members;
        }
      }

      return { purpose: purpose.key, channel, pages: pages() };
    },

    /**
     * The audience as a byte stream in `format` (NDJSON, or CSV with a header row), for `ctx.body`.
     * Validation errors are thrown here, before the first byte; a database error later errors the stream
     * (the controller then cuts the connection: a partial audience never looks complete).
     */
    async stream(
      purposeKey: string,
      channel: Channel | undefined,
      format: AudienceFormat,
      options: AudienceOptions = {}
    ): Promise<{ purpose: string; channel: Channel; contentType: string; filename: string; body: Readable }> {
      const audience = await this.pages(purposeKey, channel, options);
      async function* chunks() {
        if (format === 'csv') yield csvRow([...AUDIENCE_CSV_COLUMNS]);
        for await (const members of audience.pages) {
          // One write per page: few, large chunks, and the page's strings are garbage right after.
          yield members.map((m) => formatMember(m, format)).join('');
        }
      }
      // Readable.from pulls the next page only when the buffer has drained below the high-water mark: the
      // pace of the client, not the database's, sets how much is held. Destroying the stream (client gone)
      // ends the generator, so no further page is read.
      return {
        purpose: audience.purpose,
        channel: audience.channel,
        contentType: AUDIENCE_CONTENT_TYPES[format],
        filename: `audience-${audience.purpose}-${audience.channel}.${format}`,
        body: Readable.from(chunks(), { objectMode: false, highWaterMark: HIGH_WATER_MARK }),
      };
    },
  };
};

export default audiences;
export type AudiencesService = ReturnType<typeof audiences>;
