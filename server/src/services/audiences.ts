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
import type { Eligibility } from '../../../shared/contracts/eligibility';
import { queriesInFlight } from '../database/in-flight';
import { rowArrays } from '../database/row-arrays';
import { screenedBySuppression } from '../domain/contact-rules';
import { csvRow } from '../utils/csv';
import { getService } from '../utils/get-service';
import type { PagePerson, PageState } from './eligibility';

/**
 * Rows read per query. A page of 1,000 costs a handful of queries (the page, the hashes and suppression
 * entries of the few people it flags) and well under a megabyte, whatever the audience's size. Larger
 * pages saved no time measurably and let V8 promote more of each page to the old generation before it is
 * garbage: exporting 231,000 people on SQLite, peak RSS grew by 70 to 90 MB at 2,000, under 10 at 1,000.
 */
const PAGE = 1000;
// Past this many bytes waiting in the stream, the next page is read only once the client has taken them.
const HIGH_WATER_MARK = 64 * 1024;

/**
 * Read with knex, not the query engine, and as arrays (database/row-arrays): hydrating a page through the
 * engine, or even the driver's object per row, costs more than the query itself, and these pages are the
 * whole cost of an audience. The columns come in this order; `rowOf` makes the one object checkPage reads.
 */
const PERSON_COLUMNS = [
  's.pseudonym',
  's.email',
  's.phone',
  's.external_id',
  's.audience',
  's.jurisdiction',
  's.child',
  's.child_until',
];
// The state as the driver answers it: dates as Date (PostgreSQL, MySQL) or epoch milliseconds (SQLite), ids
// as numbers or strings. checkPage reads them as they come (a date through `new Date`, a notice id through
// `Number`), as it does the states it reads itself.
const STATE_COLUMNS = ['st.state', 'st.expires_at', 'st.notice_id', 'st.granted_at', 'st.last_event_seq'];
const HASH_COLUMNS = ['s.email_hash', 's.phone_hash', 's.external_id_hash'];

/**
 * What a page says about suppression lists: nothing (the purpose is not screened by them), the stored
 * hashes of every person (after a secret rotation: checkPage derives the others from the identifiers),
 * or whether each person has an entry (`suppressedColumn`; the hashes are then read for those only).
 */
type Screening = 'none' | 'hashes' | 'flag';

/** A person of a page, with their state on a consent purpose; `key` is the id the next page starts after. */
interface PageRow extends PagePerson, PageState {
  key: number | string;
  externalId: string | null;
  suppressed: boolean;
}

// EXISTS answers true/false (PostgreSQL) or 1/0 (SQLite, MySQL).
const flagged = (value: unknown) => value === true || Number(value) === 1;

/** A row in the order `readPage` selects: the person, their key, the state (consent purposes), the tail. */
const rowOf = (r: any[], withState: boolean, screening: Screening): PageRow => {
  const tail = withState ? 14 : 9;
  return {
    pseudonym: r[0],
    email: r[1],
    phone: r[2],
    externalId: r[3],
    audience: r[4],
    jurisdiction: r[5],
    child: r[6],
    childUntil: r[7],
    key: r[8],
    subject: r[0],
    state: withState ? r[9] : undefined,
    expiresAt: withState ? r[10] : null,
    noticeId: withState ? r[11] : null,
    grantedAt: withState ? r[12] : null,
    lastEventSeq: withState ? (r[13] ?? null) : null,
    emailHash: screening === 'hashes' ? r[tail] : null,
    phoneHash: screening === 'hashes' ? r[tail + 1] : null,
    externalIdHash: screening === 'hashes' ? r[tail + 2] : null,
    suppressed: screening === 'flag' && flagged(r[tail]),
  };
};

export interface AudienceOptions {
  /** Overrides the people's own and the site's jurisdiction. */
  jurisdiction?: Jurisdiction;
  /** The instant every person is judged at (the rules are date-effective); defaults to the start. */
  now?: Date;
}

/** A line of the audience; the keys in this order (NDJSON keeps it), identifiers the person lacks left out. */
const memberOf = (person: PageRow, verdict: Eligibility): AudienceMember => {
  const member = { subject: person.pseudonym } as AudienceMember;
  if (person.email) member.email = person.email;
  if (person.phone) member.phone = person.phone;
  if (person.externalId) member.externalId = person.externalId;
  member.state = verdict.state;
  member.basis = verdict.basis;
  return member;
};

export const formatMember = (member: AudienceMember, format: AudienceFormat): string =>
  format === 'csv' ? csvRow(AUDIENCE_CSV_COLUMNS.map((c) => member[c])) : `${JSON.stringify(member)}\n`;

/**
 * Audiences (spec 4.2): every person eligible now for a purpose on a channel, read page by page (keyset
 * on the id, so each page is one indexed range query whatever how far in) and judged with the eligibility
 * service's own rules, so an audience never says more than `GET /api/consent/eligibility` would about each
 * of its people. Memory stays flat: two pages at most are held (the one being judged and the next, read
 * ahead), and no further page is read until the client has taken the previous one (stream backpressure).
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
  /**
   * Whether the person `s` has a suppression entry on any stored hash for this channel (or all channels),
   * read in the page's own query: three index probes in the database per person, where asking for the
   * page's hashes afterwards costs a bound parameter per hash. Only when each person's stored hashes are
   * all the hashes they are known by, that is with a single secret: after a rotation, hashes under the
   * previous secrets are derived from the identifiers in clear, which SQL cannot do.
   */
  const suppressedColumn = (channel: Channel) => getService('suppression').existsOn(HASH_COLUMNS, channel);

  /** The stored hashes of the people a page flagged, for checkPage to read their entries by. */
  const readHashes = async (rows: PageRow[]) => {
    const wanted = rows.filter((r) => r.suppressed);
    if (wanted.length === 0) return;
    const found = await getService('subjects').storedHashesOf(wanted.map((r) => r.pseudonym));
    const byPseudonym = new Map(found.map((f) => [f[0] as string, f]));
    for (const row of wanted) {
      const f = byPseudonym.get(row.pseudonym);
      row.emailHash = (f?.[1] as string | null) ?? null;
      row.phoneHash = (f?.[2] as string | null) ?? null;
      row.externalIdHash = (f?.[3] as string | null) ?? null;
    }
  };

  /**
   * One page, keyset on `key`:
   * - consent purposes: the `granted` states of the purpose and channel (no other state can be eligible)
   *   with their people, by state id: the planner walks the states in id order (the index on (purpose,
   *   channel, state) holds it on SQLite and MySQL; the primary key on PostgreSQL) and looks each person
   *   up by pseudonym, so each page starts where the last one ended and costs the same however far in;
   * - other bases: every person known to the ledger who still has an identifier, by id.
   */
  const readPage = async (
    purpose: string,
    channel: Channel,
    consent: boolean,
    screening: Screening,
    after: number | string
  ): Promise<PageRow[]> => {
    const subjects = getService('subjects');
    const query = consent
      ? subjects
          .joinHolders(getService('ledger').grantedStatesPage('st', purpose, channel, after), 'st.subject')
          .select([...PERSON_COLUMNS, 'st.id', ...STATE_COLUMNS])
      : subjects.pageAfter(after).select([...PERSON_COLUMNS, 's.id']);
    query
      .whereNull('s.erased_at')
      .where((q) => q.whereNotNull('s.email').orWhereNotNull('s.phone').orWhereNotNull('s.external_id'))
      .limit(PAGE);
    if (screening === 'hashes') query.select(HASH_COLUMNS);
    if (screening === 'flag') query.select(suppressedColumn(channel));
    const rows = (await rowArrays(strapi, query)).map((r) => rowOf(r, consent, screening));
    if (screening === 'flag') await readHashes(rows);
    return rows;
  };

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

      const consent = purpose.legalBasis === 'consent';
      const screening: Screening = !screenedBySuppression(purpose.legalBasis, purpose.directMarketing)
        ? 'none'
        : getService('secrets').all().length === 1
          ? 'flag'
          : 'hashes';

      const readAhead = queriesInFlight(strapi) > 1;
      const read = (after: number | string) => {
        const page = readPage(purpose.key, channel, consent, screening, after);
        // Awaited on the next turn of the loop, or never if the client leaves first: not an unhandled rejection.
        page.catch(() => undefined);
        return page;
      };

      async function* pages(): AsyncGenerator<AudienceMember[]> {
        let next: Promise<PageRow[]> | null = read(0);
        while (next) {
          const people: PageRow[] = await next;
          if (people.length === 0) return;
          const after = people.length < PAGE ? null : people[people.length - 1].key;
          // Where two queries can be in flight (database/in-flight), the next page is asked for before this
          // one is judged, so its query runs while this thread works (PostgreSQL: a third of an export's
          // time was spent waiting for it). On SQLite it is read after, as before.
          next = after !== null && readAhead ? read(after) : null;
          // For consent purposes the page holds each person's state: checkPage does not read it again.
          let states: Map<string, PageState> | undefined;
          if (consent) {
            states = new Map();
            for (const person of people) states.set(person.pseudonym, person);
          }
          const verdicts = await eligibility.checkPage(purpose, channel, people, {
            now,
            jurisdiction: options.jurisdiction,
            states,
            ...(screening === 'flag'
              ? { mayBeSuppressed: (person: PagePerson) => (person as PageRow).suppressed }
              : {}),
          });
          const members: AudienceMember[] = [];
          for (let i = 0; i < people.length; i++) {
            const verdict = verdicts[i];
            if (verdict.eligible) members.push(memberOf(people[i], verdict));
          }
          if (members.length) yield members;
          if (after !== null && !readAhead) next = read(after);
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
