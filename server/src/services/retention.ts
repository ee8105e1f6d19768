import type { Core } from '@strapi/strapi';
import type {
  Channel,
  ConsentAction,
  ConsentState,
  IdentifierType,
  LegalBasis,
} from '../../../shared/contracts/domain';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import {
  ACTIVITY_METHODS,
  REPERMISSION_KIND,
  SYSTEM_ACTOR,
  currentGrant,
  isStaleProspect,
  lastOwnAct,
  lifetimeOver,
  maySuppressionGo,
  monthsBefore,
  PHONE_PROOF_CHANNELS,
  PROOF_CLOCK_ACTIONS,
  proofClockFrom,
  proofMustBeKept,
  repermissionDue,
  suppressionDeleteBefore,
  type ProspectFacts,
  type RetentionClock,
} from '../domain/retention-rules';
import { ENDED_STATES, mayPruneProof } from '../domain/proof-pruning';
import { keysetPages } from '../database/keyset-pages';
import { getService } from '../utils/get-service';
import type { NewEvent, ProofKey } from './ledger';
import type { SubjectRow as StoredSubject } from './subjects';
import type { SuppressionEntry } from './suppression';
import { iso, json } from '../utils/row-values';

/** Rows read per candidate query. */
const PAGE = 500;
/**
 * Rows handled per transaction. Each holds the ledger lock, which every capture also waits for: about a
 * hundred appends keep that wait well under a second on every engine.
 */
const BATCH = 100;
/** The `source` of suppression entries this job writes (an objection kept past a purge). */
export const RETENTION_SOURCE = 'retention';

/** A person's retention facts, with what the re-permission run needs of them (repermission.ts `add`). */
interface PersonFacts extends ProspectFacts {
  /** The purposes of their current email grants. */
  mailable: string[];
  /** Those they were sent a re-permission request about since their last own act. */
  askedFor: string[];
}

interface StateRow {
  id: number;
  subject: string;
  purpose: string;
  channel: Channel;
  state: ConsentState;
  legalBasis: LegalBasis;
  grantedAt: string | Date | null;
  expiresAt: string | Date | null;
}

/** A person as the sweeps read them (SUBJECT_SELECT): the subjects table's row without the age columns. */
export type SubjectRow = Omit<StoredSubject, 'child' | 'childUntil' | 'erasedAt'> & { createdAt: string | Date };

const SUBJECT_SELECT = [
  'id',
  'pseudonym',
  'email',
  'phone',
  'externalId',
  'language',
  'emailHash',
  'phoneHash',
  'externalIdHash',
  'jurisdiction',
  'audience',
  'createdAt',
];

const HASHES: [IdentifierType, 'emailHash' | 'phoneHash' | 'externalIdHash'][] = [
  ['email', 'emailHash'],
  ['phone', 'phoneHash'],
  ['externalId', 'externalIdHash'],
];

const IDENTIFIED = {
  erasedAt: { $null: true },
  $or: [{ emailHash: { $notNull: true } }, { phoneHash: { $notNull: true } }, { externalIdHash: { $notNull: true } }],
};

/** The latest `occurredAt` of each subject's rows. */
const latestBySubject = (rows: { subject: string; occurredAt: string | Date }[]): Map<string, Date> => {
  const out = new Map<string, Date>();
  for (const row of rows) {
    const at = new Date(row.occurredAt);
    if ((out.get(row.subject)?.getTime() ?? 0) < at.getTime()) out.set(row.subject, at);
  }
  return out;
};

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * The retention jobs (I3, I4, I7), run by Strapi's cron (bootstrap.ts) and callable with another `now`.
 * Like the double opt-in expiry, each is idempotent and safe on every instance at once: candidates are
 * read outside any transaction, then each batch is re-read inside a transaction that holds the ledger lock
 * (`ledger.lock()`, the lock every ledger writer takes), so two instances never act twice on one row and
 * nobody's new consent or objection slips in between the check and the change.
 */
const retention = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).retention;
  const ledger = () => getService('ledger');
  const subjects = () => getService('subjects');

  /**
   * The `expired` event of a grant past its lifetime (I7). The ledger has no "system" method: `api`
   * (recorded by server code, not by the person) with actor `system` is the closest, and keeps the job's
   * events out of a person's activity (retention-rules.ts).
   */
  const expiryEvent = (row: StateRow, now: Date): NewEvent => ({
    subject: row.subject,
    purpose: row.purpose,
    channel: row.channel,
    action: 'expired',
    state: 'expired',
    method: 'api',
    legalBasis: row.legalBasis,
    actor: SYSTEM_ACTOR,
    evidence: { reason: 'lifetime', grantedAt: iso(row.grantedAt), expiresAt: iso(row.expiresAt) },
    occurredAt: now,
  });

  /** Inside the lock: appends `expired` for those of the pseudonyms' grants that are past their lifetime. */
  const expireGrantsOf = async (
    where: { id: { $in: number[] } } | { subject: { $in: string[] } },
    now: Date
  ): Promise<number> => {
    const rows: StateRow[] = await ledger().grantsExpiringBy(where, now);
    const due = rows.filter((r) => lifetimeOver(r, now));
    await getService('ledger').append(due.map((r) => expiryEvent(r, now)));
    return due.length;
  };

  /**
   * C8, I5: those of these people whose proof of a German telephone consent must still be kept at `now`
   * (retention-rules.ts `proofMustBeKept`): their identifiers, the link of the proof to the number, stay.
   * One query for the page: only grants and uses of the last five years (and two days: the German day's
   * end, `proofClockFrom`) can hold anything.
   */
  const proofHeldOf = async (
    people: Pick<SubjectRow, 'pseudonym' | 'jurisdiction' | 'audience'>[],
    now: Date
  ): Promise<Set<string>> => {
    const held = new Set<string>();
    const german = people.filter((p) => p.jurisdiction === 'de');
    if (german.length === 0) return held;
    const events: {
      subject: string;
      action: ConsentAction;
      state: ConsentState;
      channel: Channel;
      legalBasis: LegalBasis;
      occurredAt: string | Date;
    }[] = await ledger().eventsAfter(
      german.map((p) => p.pseudonym),
      {
        channels: [...PHONE_PROOF_CHANNELS],
        actions: [...PROOF_CLOCK_ACTIONS],
        after: proofClockFrom(now),
      }
    );
    for (const person of german) {
      const own = events
        .filter((e) => e.subject === person.pseudonym)
        .map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) }));
      if (proofMustBeKept({ jurisdiction: person.jurisdiction, audience: person.audience, events: own }, now))
        held.add(person.pseudonym);
    }
    return held;
  };

  /**
   * Inside the lock: the grants still current of people purged under the subscriber rule (I4) get an
   * `expired` event (reason `inactivity`), so the ledger says why their consent ended before the purge.
   */
  const expireInactiveGrants = async (pseudonyms: string[], now: Date): Promise<number> => {
    if (pseudonyms.length === 0) return 0;
    const rows: StateRow[] = await ledger().grantsOf(pseudonyms);
    const due = rows.filter((r) => currentGrant(r, now));
    await getService('ledger').append(
      due.map((r) => ({
        ...expiryEvent(r, now),
        evidence: { reason: 'inactivity', grantedAt: iso(r.grantedAt), months: config().prospectMonths },
      }))
    );
    return due.length;
  };

  /** The periods the I4 rules apply at `now`. */
  const clockAt = (now: Date): RetentionClock => ({
    now,
    months: config().prospectMonths,
    repermissionDays: config().repermissionDays,
  });

  /**
   * I4: the facts the prospect and re-permission rules (retention-rules.ts) judge, for a page of people:
   * a query each for grants, re-permission requests, contracts and the person's own acts.
   */
  const factsOf = async (people: SubjectRow[], clock: RetentionClock): Promise<Map<string, PersonFacts>> => {
    const out = new Map<string, PersonFacts>();
    if (people.length === 0) return out;
    const { now } = clock;
    const pseudonyms = people.map((p) => p.pseudonym);
    const grants: StateRow[] = await ledger().grantKeysOf(pseudonyms);
    const current = grants.filter((g) => currentGrant(g, now));
    const granted = new Set(current.map((g) => g.subject));
    const asked = await askedAtOf(pseudonyms);
    const contracts = await getService('relationships').contractsOf(pseudonyms, now);
    // Acts older than every instant compared below cannot change an answer (retention-rules.ts).
    const horizon = Math.min(
      monthsBefore(now, clock.months).getTime(),
      ...[...asked.values()].flat().map((r) => r.at.getTime())
    );
    const activity = await ledger().actsSince(pseudonyms, {
      methods: [...ACTIVITY_METHODS],
      notBy: SYSTEM_ACTOR,
      since: new Date(horizon),
    });
    const last = latestBySubject(activity);
    for (const p of people) {
      const facts: ProspectFacts = {
        collectedAt: new Date(p.createdAt),
        lastActivityAt: last.get(p.pseudonym) ?? null,
        hasCurrentGrant: granted.has(p.pseudonym),
        erased: false,
        subscriberRule: p.jurisdiction != null && config().subscriberJurisdictions.includes(p.jurisdiction),
        contract: contracts.get(p.pseudonym) ?? null,
        askable: !!p.email,
        askedAt: null,
      };
      // The request goes by email, one per purpose (D10: only where the person may be mailed about it).
      const mailable = new Set(
        current.filter((g) => g.subject === p.pseudonym && g.channel === 'email').map((g) => g.purpose)
      );
      const since = lastOwnAct(facts).getTime();
      const requests = (asked.get(p.pseudonym) ?? []).filter((r) => r.at.getTime() > since);
      // Asked only once every purpose they may be mailed about was asked since their last own act: a
      // purpose whose mail failed keeps them due (and unpurged) until it went out too.
      const complete = [...mailable].every((purpose) => requests.some((r) => r.purpose === purpose));
      const latest = (asked.get(p.pseudonym) ?? []).reduce<Date | null>(
        (a, r) => (a && a.getTime() >= r.at.getTime() ? a : r.at),
        null
      );
      out.set(p.pseudonym, {
        ...facts,
        askable: !!p.email && mailable.size > 0,
        askedAt: complete ? latest : null,
        mailable: [...mailable],
        askedFor: [...new Set(requests.map((r) => r.purpose))],
      });
    }
    return out;
  };

  /** I4: the re-permission requests each of these people was sent (one per purpose), and when. */
  const askedAtOf = async (pseudonyms: string[]): Promise<Map<string, { purpose: string; at: Date }[]>> => {
    const requests = await ledger().contactsBy(SYSTEM_ACTOR, pseudonyms);
    const out = new Map<string, { purpose: string; at: Date }[]>();
    for (const r of requests.filter((e) => json(e.evidence)?.kind === REPERMISSION_KIND)) {
      out.set(r.subject, [...(out.get(r.subject) ?? []), { purpose: r.purpose, at: new Date(r.occurredAt) }]);
    }
    return out;
  };

  /** I4: which of these people are stale prospects at `now`, leaving out those whose proof must be kept. */
  const staleOf = async (people: SubjectRow[], now: Date): Promise<SubjectRow[]> => {
    if (people.length === 0) return [];
    const proof = await proofHeldOf(people, now);
    const clock = clockAt(now);
    const facts = await factsOf(people, clock);
    return people.filter((p) => !proof.has(p.pseudonym) && isStaleProspect(facts.get(p.pseudonym)!, clock));
  };

  /**
   * The suppression entries that keep honouring these people's objections once their identifiers are
   * gone (I1, C4): one `objection` entry per identifier hash and objected channel. An objection is per
   * purpose, an entry per channel: after the purge it bars every marketing purpose on that channel, the
   * safe side (a later opt-in of the person lifts it for consent purposes, eligibility-rules.ts).
   */
  const objectionEntries = async (people: SubjectRow[]): Promise<Map<string, SuppressionEntry[]>> => {
    const out = new Map<string, SuppressionEntry[]>();
    if (people.length === 0) return out;
    const objected = (await ledger().objectionsOf(people.map((p) => p.pseudonym))) as {
      subject: string;
      channel: Channel;
    }[];
    for (const person of people) {
      const channels = [...new Set(objected.filter((o) => o.subject === person.pseudonym).map((o) => o.channel))];
      const entries: SuppressionEntry[] = [];
      for (const channel of channels) {
        for (const [type, column] of HASHES) {
          // Under the current secret when the identifier is still in clear: after the purge nothing can rehash it.
          const hash = person[type] ? getService('subjects').hash(type, person[type]!) : person[column];
          if (!hash) continue;
          entries.push({
            identifierHash: hash,
            identifierType: type,
            channel,
            reason: 'objection',
            source: RETENTION_SOURCE,
          });
        }
      }
      out.set(person.pseudonym, entries);
    }
    return out;
  };

  const entryKey = (e: SuppressionEntry) => `${e.identifierHash}|${e.channel}`;

  /** The latest withdrawal or objection of whoever holds each identifier hash (people not erased). */
  const lastOptOutByHash = async (hashes: string[]): Promise<Map<string, Date>> => {
    const out = new Map<string, Date>();
    const unique = [...new Set(hashes)];
    if (unique.length === 0) return out;
    const holders: Omit<SubjectRow, 'id' | 'createdAt'>[] = await subjects().holdersOfHashes(unique);
    if (holders.length === 0) return out;
    const events = await ledger().optOutsOf(holders.map((h) => h.pseudonym));
    const latest = new Map<string, Date>();
    for (const e of events) {
      const at = new Date(e.occurredAt);
      if ((latest.get(e.subject)?.getTime() ?? 0) < at.getTime()) latest.set(e.subject, at);
    }
    for (const holder of holders) {
      const at = latest.get(holder.pseudonym);
      if (!at) continue;
      for (const [, column] of HASHES) {
        const hash = holder[column];
        if (hash && (out.get(hash)?.getTime() ?? 0) < at.getTime()) out.set(hash, at);
      }
    }
    return out;
  };

  return {
    /** C8, I5: the pseudonyms among these whose telephone-consent proof must still be kept at `now`. */
    async proofHeld(pseudonyms: string[], now = new Date()): Promise<Set<string>> {
      if (pseudonyms.length === 0) return new Set();
      const people = await subjects().profilesOf([...new Set(pseudonyms)]);
      return proofHeldOf(people, now);
    },

    /**
     * I7: every grant past its purpose's lifetime (`expiresAt`, set from `lifetimeDays` at the grant) gets
     * an `expired` event (method `api`, actor `system`, evidence `{ reason: 'lifetime', grantedAt,
     * expiresAt }`). Eligibility already answers `expired` from that instant; this makes the ledger say so.
     */
    async expireConsents(now = new Date()): Promise<{ expired: number }> {
      let expired = 0;
      for await (const candidates of keysetPages((after) => ledger().expiringGrantIds(now, { after, limit: BATCH }))) {
        expired += await strapi.db.transaction(async () => {
          await getService('ledger').lock();
          return expireGrantsOf({ id: { $in: candidates.map((c) => c.id) } }, now);
        });
        if (candidates.length < BATCH) break;
      }
      return { expired };
    },

    /**
     * I4: a person with no current grant (or, in `retention.subscriberJurisdictions`, with one: their
     * grants then expire with reason `inactivity`) whose data was collected, and who last did anything themselves
     * (retention-rules.ts `ACTIVITY_METHODS`: a form, a confirmation, a click, the preference centre, a
     * signal, an import, a click the site reported), more than `retention.prospectMonths` ago loses their
     * identifiers, unless a proof of German telephone consent must still be kept (C8, I5), as erasure
     * clears them: email, phone, external id, their keyed hashes, language and audience; `erasedAt` is set.
     * Their relationships (ended contracts) are deleted. The pseudonym, the ledger, receipts and existing
     * suppression entries stay. Grants past their lifetime
     * are expired first (I7); objections become suppression entries so they keep being honoured.
     */
    async purgeProspects(now = new Date()): Promise<{ purged: number; expired: number }> {
      const cutoff = monthsBefore(now, config().prospectMonths);
      let purged = 0;
      let expired = 0;
      const pages = keysetPages((after): Promise<SubjectRow[]> =>
        subjects().collectedBefore(cutoff, IDENTIFIED, { select: SUBJECT_SELECT, after, limit: PAGE })
      );
      for await (const page of pages) {
        for (const batch of chunks(await staleOf(page, now), BATCH)) {
          // Suppression writes go through their own connection, so they cannot sit inside the transaction
          // (SQLite has one): written first, idempotent, and checked again under the lock below.
          const planned = await objectionEntries(batch);
          await getService('suppression').add([...planned.values()].flat());
          const done = await strapi.db.transaction(async () => {
            await getService('ledger').lock();
            const fresh: SubjectRow[] = await subjects().subjectsAmong(
              batch.map((b) => b.id),
              IDENTIFIED,
              SUBJECT_SELECT
            );
            const stale = await staleOf(fresh, now);
            const needed = await objectionEntries(stale);
            // Someone who objected again or gained an identifier since the entries were written waits for
            // the next run rather than losing an objection.
            const covered = (p: SubjectRow) => {
              const have = new Set((planned.get(p.pseudonym) ?? []).map(entryKey));
              return (needed.get(p.pseudonym) ?? []).every((e) => have.has(entryKey(e)));
            };
            const purging = stale.filter(covered);
            if (purging.length === 0) return { purged: 0, expired: 0 };
            const n =
              (await expireGrantsOf({ subject: { $in: purging.map((p) => p.pseudonym) } }, now)) +
              (await expireInactiveGrants(
                purging.map((p) => p.pseudonym),
                now
              ));
            await getService('subjects').eraseMany({ id: { $in: purging.map((p) => p.id) } }, now);
            // Only ended contracts reach here (a running one keeps the person): their references go too.
            await getService('relationships').eraseFor(purging.map((p) => p.pseudonym));
            return { purged: purging.length, expired: n };
          });
          purged += done.purged;
          expired += done.expired;
        }
        if (page.length < PAGE) break;
      }
      return { purged, expired };
    },

    /**
     * I4: the one re-permission request. A subscriber under the three-year rule
     * (`retention.subscriberJurisdictions`) with an email address, whose three years end within
     * `retention.repermissionDays` (or already ended), and who was not asked since their last own act, is
     * asked once, per purpose they may be mailed about, whether they want to go on: queued on the messages
     * service, one message per purpose and language (services/repermission.ts `run`), visible in
     * *Consent → Messages*. The `contacted` event its worker records once a mail left is what lets
     * `purgeProspects` act `repermissionDays` later. A mail that cannot be sent records nothing, so nobody
     * is purged unasked: the next run asks again. Answers how many requests were queued, and the messages.
     */
    async requestRepermission(now = new Date()): Promise<{ requested: number; messages: number[] }> {
      const jurisdictions = config().subscriberJurisdictions;
      if (jurisdictions.length === 0) return { requested: 0, messages: [] };
      const clock = clockAt(now);
      // Collected at least (prospectMonths − repermissionDays) ago: nobody younger can be due.
      const collectedBefore = new Date(monthsBefore(now, clock.months).getTime() + clock.repermissionDays * 86_400_000);
      const run = getService('repermission').run(now);
      const pages = keysetPages((after): Promise<SubjectRow[]> =>
        subjects().collectedBefore(
          collectedBefore,
          { erasedAt: { $null: true }, email: { $notNull: true }, jurisdiction: { $in: jurisdictions } },
          { select: SUBJECT_SELECT, after, limit: PAGE }
        )
      );
      for await (const page of pages) {
        const facts = await factsOf(page, clock);
        for (const person of page.filter((p) => repermissionDue(facts.get(p.pseudonym)!, clock))) {
          const known = facts.get(person.pseudonym)!;
          // What the page's facts already hold (their grants by email, what they were asked since): not read again per person.
          await run.add(person, lastOwnAct(known), { purposes: known.mailable, asked: known.askedFor });
        }
        if (page.length < PAGE) break;
      }
      return run.finish();
    },

    /**
     * I5: the end of proof. A consent (basis `consent`) that ended (state withdrawn, expired, revoked or
     * refused) more than `retention.proofYears` ago, counted from the key's last event, and whose German
     * telephone minimum has passed (domain/proof-pruning.ts `mayPruneProof`), loses the personal fields of
     * its events and its state row (`ledger.prune`). Candidates come from `consent_states` a page at a time
     * (memory flat); each batch is re-read and judged again under the ledger lock, so a new grant that
     * lands first keeps the key, and a second instance finds the work done.
     */
    async pruneProof(now = new Date()): Promise<{ keys: number; events: number }> {
      const years = config().proofYears;
      if (years == null) return { keys: 0, events: 0 };
      // The last event is never earlier than the state's change: a key changed since cannot be due.
      const changedBefore = monthsBefore(now, years * 12);
      const due = { legalBasis: 'consent', state: { $in: [...ENDED_STATES] }, changedAt: { $lt: changedBefore } };
      let keys = 0;
      let events = 0;
      for await (const candidates of keysetPages((after) => ledger().endedStateIds(due, { after, limit: PAGE }))) {
        for (const batch of chunks(candidates, BATCH)) {
          const done = await strapi.db.transaction(async () => {
            await getService('ledger').lock();
            const rows: StateRow[] = await ledger().endedStatesAmong(
              batch.map((c) => c.id),
              due
            );
            if (rows.length === 0) return { keys: 0, events: 0 };
            const pseudonyms = [...new Set(rows.map((r) => r.subject))];
            const people: Pick<SubjectRow, 'pseudonym' | 'jurisdiction' | 'audience'>[] =
              await subjects().profilesOf(pseudonyms);
            const person = new Map(people.map((p) => [p.pseudonym, p]));
            const history: {
              subject: string;
              purpose: string;
              action: ConsentAction;
              state: ConsentState;
              channel: Channel;
              legalBasis: LegalBasis;
              occurredAt: string | Date;
            }[] = await ledger().unprunedEventsOf(pseudonyms, [...new Set(rows.map((r) => r.purpose))]);
            const ending: ProofKey[] = rows
              .filter((row) =>
                mayPruneProof(
                  {
                    state: row.state,
                    legalBasis: row.legalBasis,
                    jurisdiction: person.get(row.subject)?.jurisdiction ?? null,
                    audience: person.get(row.subject)?.audience ?? null,
                    events: history
                      .filter(
                        (e) => e.subject === row.subject && e.purpose === row.purpose && e.channel === row.channel
                      )
                      .map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) })),
                  },
                  now,
                  years
                )
              )
              .map(({ subject, purpose, channel }) => ({ subject, purpose, channel }));
            const pruned = await getService('ledger').prune(ending, now);
            return { keys: ending.length, events: pruned.events };
          });
          keys += done.keys;
          events += done.events;
        }
        if (candidates.length < PAGE) break;
      }
      return { keys, events };
    },

    /**
     * I3: suppression entries are kept at least `retention.suppressionMinMonths`. By default
     * (`suppressionMaxMonths: null`) nothing is ever deleted. With a maximum, entries older than it are
     * deleted, except opposition-list entries (replaced by importing the list again) and entries whose
     * person withdrew or objected again since (the period runs from the latest objection).
     */
    async pruneSuppressions(now = new Date()): Promise<{ deleted: number }> {
      const { suppressionMinMonths, suppressionMaxMonths } = config();
      const before = suppressionDeleteBefore(now, { minMonths: suppressionMinMonths, maxMonths: suppressionMaxMonths });
      if (!before) return { deleted: 0 };
      const entries = getService('suppression');
      let deleted = 0;
      for await (const candidates of keysetPages((after) => entries.olderThan(before, { after, limit: PAGE }))) {
        deleted += await strapi.db.transaction(async () => {
          // A withdrawal appends under this lock before it adds its entry: either it is seen here (and the
          // entry kept), or its entry is written after this delete, as a new row.
          await getService('ledger').lock();
          const rows = await entries.byIds(candidates.map((c) => c.id));
          const reaffirmed = await lastOptOutByHash(rows.map((r) => r.identifierHash));
          const ids = rows
            .filter((r) =>
              maySuppressionGo(
                { reason: r.reason, createdAt: new Date(r.createdAt), reaffirmedAt: reaffirmed.get(r.identifierHash) },
                before
              )
            )
            .map((r) => r.id);
          await entries.removeIds(ids);
          return ids.length;
        });
        if (candidates.length < PAGE) break;
      }
      return { deleted };
    },
  };
};

export default retention;
export type RetentionService = ReturnType<typeof retention>;
