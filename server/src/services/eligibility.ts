import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Audience, Channel, Jurisdiction, SuppressionReason } from '../../../shared/contracts/domain';
import type { Eligibility, SubjectRef } from '../../../shared/contracts/eligibility';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { fromStateColumns, STATE_COLUMNS } from '../database/ledger-rows';
import { queriesInFlight } from '../database/in-flight';
import { fastTimestamps } from '../database/row-arrays';
import { subjectColumns } from '../database/subject-rows';
import { screenedBySuppression, type SoftOptInEvidence } from '../domain/contact-rules';
import { decideEligibility, type EligibilityContext, type EligibilityState } from '../domain/eligibility-rules';
import { needsReconsent } from '../domain/reconsent';
import { LIFTABLE_REASONS, ownGrantAt, type GrantEvidenceEvent } from '../domain/suppression-rules';
import type { Purpose } from '../../../shared/contracts/purposes';
import { getService } from '../utils/get-service';
import { overlapped } from '../utils/overlapped';
import { json } from '../utils/row-values';
import { childStatusOf } from './subjects';
import { PARENT_ACTOR } from '../domain/children-rules';

const CHUNK = 500;

interface StateRow {
  subject: string;
  state: EligibilityState['state'];
  expiresAt: string | Date | null;
  /** The notice the state was recorded under: whether it still covers the consent is derived (A11). */
  noticeId: number | null;
  grantedAt: string | Date | null;
  lastEventSeq?: number | string | null;
  /** For a revoked state: the revoking event's `evidence.reason` (`proof-incomplete` for an unproven import, J2). */
  revokedFor?: string | null;
  /** G2, G5: the granting event was a parent's confirmation (read only for child-flagged people). */
  grantedByParent?: boolean;
}

/** What the rules need to know about a person besides their consent state. */
interface SubjectInfo {
  pseudonym: string;
  /** In clear: read only while the key ring holds a previous secret (their hashes under it, see below). */
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  emailHash: string | null;
  phoneHash: string | null;
  externalIdHash: string | null;
  audience: Audience | null;
  jurisdiction: Jurisdiction | null;
  /** G1's stored outcome (SQLite: 0/1 and epoch milliseconds). */
  child?: boolean | number | null;
  childUntil?: string | number | Date | null;
}

interface Resolved {
  /** The pseudonym the states are looked up by (also for a `subject` ref nobody holds: it finds nothing). */
  pseudonym: string | null;
  /**
   * The keyed hashes of the identifier asked about (one per secret of the ring), checked against
   * suppression even for an unknown person.
   */
  askedHashes: string[];
  subject: SubjectInfo | null;
}

export interface CheckOptions {
  /** Defaults to now; tests and back-dated audits give another instant (the rules are date-effective). */
  now?: Date;
  /** Judged beside the person's own jurisdiction: the answer is eligible only if both allow (C2). */
  jurisdiction?: Jurisdiction;
}

// Read with knex: a check is on a hot path, and the query engine costs more than the lookup.
const SUBJECT_COLUMNS = subjectColumns(
  'pseudonym',
  'emailHash',
  'phoneHash',
  'externalIdHash',
  'audience',
  'jurisdiction',
  'child',
  'childUntil'
);
// After a secret rotation the identifiers' hashes under every secret of the ring are what suppression is
// checked on (subjects.allHashes): only then are the identifiers themselves read.
const RING_COLUMNS = { ...SUBJECT_COLUMNS, ...subjectColumns('email', 'phone', 'externalId') };

/** The state's columns beside the person's in one row. */
const STATE_PREFIX = 'state__';

/** What holdersWhere selects (person as `s`, state as `st`), built once rather than on every check. */
const holderSelect = (columns: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(columns).map(([alias, column]) => [alias, `s.${column}`])),
  ...Object.fromEntries(STATE_COLUMNS.map((column) => [`${STATE_PREFIX}${column}`, `st.${column}`])),
});
const SUBJECT_SELECT = holderSelect(SUBJECT_COLUMNS);
const RING_SELECT = holderSelect(RING_COLUMNS);

const childOf = (subject: SubjectInfo) =>
  childStatusOf({ child: (subject.child ?? null) as boolean | null, childUntil: subject.childUntil ?? null });

const toState = (row: StateRow | undefined, outdated: ReadonlySet<number>): EligibilityState | null =>
  row
    ? {
        state: row.state,
        expiresAt: row.expiresAt ? new Date(row.expiresAt) : null,
        reconsentRequired: needsReconsent(row.noticeId, outdated),
        grantedAt: row.grantedAt ? new Date(row.grantedAt) : null,
        revokedFor: row.revokedFor ?? null,
        grantedByParent: !!row.grantedByParent,
      }
    : null;

const optionsOf = (given: Date | CheckOptions | undefined): { now: Date; jurisdiction?: Jurisdiction } =>
  given instanceof Date ? { now: given } : { now: given?.now ?? new Date(), jurisdiction: given?.jurisdiction };

const chunks = <T>(items: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

/**
 * Eligibility (spec 4.2): reads `consent_states` (written in the same transaction as each ledger event, so
 * a withdrawal is visible to the very next check, D1), the people's audience and jurisdiction, the
 * suppression list and soft opt-in evidence, and applies domain/eligibility-rules and its contact-rules
 * table. Every lookup is per batch (chunked `IN` queries), never per item: a 3,000-subject call costs under
 * twenty queries.
 */
const eligibility = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  const purposeFor = async (key: string, channel: Channel | undefined) => {
    const view = await getService('catalogue').view();
    const purpose = (await view.purposes([key])).get(key);
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
    return { purpose, channel: channel ?? purpose.channels[0], outdated: await view.outdatedNotices([key]) };
  };

  /**
   * People by one of their columns, each with their state for the purpose and channel checked (null when
   * they have none): one statement per 500 people for both, where a lookup then a state read made two.
   */
  const holdersWhere = async (
    attribute: keyof typeof SUBJECT_COLUMNS,
    values: string[],
    purpose: string,
    channel: Channel
  ): Promise<{ subject: SubjectInfo; state: StateRow | null }[]> => {
    const select = getService('secrets').all().length > 1 ? RING_SELECT : SUBJECT_SELECT;
    const out: { subject: SubjectInfo; state: StateRow | null }[] = [];
    const ledger = getService('ledger');
    const pages = await overlapped(
      chunks([...new Set(values)]),
      (part) =>
        getService('subjects').readWhere(attribute, part, (q) =>
          fastTimestamps(strapi, ledger.joinStates(q.select(select), 'st', 's.pseudonym', purpose, channel))
        ),
      queriesInFlight(strapi)
    );
    for (const rows of pages) {
      for (const row of rows as Record<string, unknown>[]) {
        const subject: Record<string, unknown> = {};
        const state: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) {
          if (key.startsWith(STATE_PREFIX)) state[key.slice(STATE_PREFIX.length)] = value;
          else subject[key] = value;
        }
        out.push({
          subject: subject as unknown as SubjectInfo,
          state: state.id == null ? null : { subject: subject.pseudonym as string, ...fromStateColumns(state) },
        });
      }
    }
    return out;
  };

  /**
   * Identifier references → people (normalised, then looked up by keyed hash), in chunks, with their states
   * for this purpose and channel.
   */
  const resolve = async (
    refs: SubjectRef[],
    purpose: string,
    channel: Channel
  ): Promise<{ resolved: Resolved[]; states: Map<string, StateRow> }> => {
    const subjects = getService('subjects');
    const hashes = refs.map((ref) => {
      if ('subject' in ref) return null;
      const type = 'email' in ref ? 'email' : 'phone';
      try {
        const normalised = subjects.normalise({ [type]: (ref as Record<string, string>)[type] }, 'subject')[type];
        return normalised ? { type, hashes: subjects.hashes(type, normalised) } : undefined;
      } catch {
        return undefined; // not a valid address: nobody can be eligible under it
      }
    });
    const states = new Map<string, StateRow>();
    const byHash = new Map<string, SubjectInfo>();
    for (const type of ['email', 'phone'] as const) {
      const wanted = hashes.filter((h) => h && h.type === type).flatMap((h) => h!.hashes);
      if (wanted.length === 0) continue;
      for (const { subject, state } of await holdersWhere(`${type}Hash`, wanted, purpose, channel)) {
        byHash.set(`${type}:${subject[`${type}Hash`]}`, subject);
        if (state) states.set(subject.pseudonym, state);
      }
    }
    const byPseudonym = new Map<string, SubjectInfo>();
    const pseudonyms = refs.filter((ref): ref is { subject: string } => 'subject' in ref).map((ref) => ref.subject);
    if (pseudonyms.length) {
      for (const { subject, state } of await holdersWhere('pseudonym', pseudonyms, purpose, channel)) {
        byPseudonym.set(subject.pseudonym, subject);
        if (state) states.set(subject.pseudonym, state);
      }
      // A state is looked up by pseudonym even for one no row of `consent_subjects` holds, as it always was.
      const unheld = pseudonyms.filter((p) => !byPseudonym.has(p));
      if (unheld.length) for (const [p, state] of await statesOf(unheld, purpose, channel)) states.set(p, state);
    }

    const resolved = refs.map((ref, i): Resolved => {
      if ('subject' in ref)
        return { pseudonym: ref.subject, askedHashes: [], subject: byPseudonym.get(ref.subject) ?? null };
      const h = hashes[i];
      // The current secret's hash first: a person recorded under it wins over one under a previous secret.
      const subject = h ? (h.hashes.map((hash) => byHash.get(`${h.type}:${hash}`)).find(Boolean) ?? null) : null;
      return { pseudonym: subject?.pseudonym ?? null, askedHashes: h?.hashes ?? [], subject };
    });
    return { resolved, states };
  };

  const statesOf = async (pseudonyms: string[], purpose: string, channel: Channel) => {
    const map = new Map<string, StateRow>();
    for (const part of chunks([...new Set(pseudonyms)])) {
      const rows = await getService('ledger').statesFor(part, purpose, channel);
      for (const row of rows)
        map.set(row.subject as string, { subject: row.subject as string, ...fromStateColumns(row) });
    }
    return map;
  };

  /**
   * What the rules need from the event that last changed a state, read in one query per 500 states, and
   * none on almost every check: why the controller revoked a consent (the revoking event's
   * `evidence.reason`: an import without its proof answers its own reason code, J2), and, for people the
   * age question found to be children only, whether a grant that stands was a parent's (its actor): below
   * the threshold only a parent's counts (G2), past it a parent's needs their own (G5).
   */
  const readLastEvents = async (resolved: Resolved[], states: Map<string, StateRow>) => {
    const revoked = [...states.values()].filter((s) => s.state === 'revoked' && s.lastEventSeq != null);
    const parental = resolved
      .filter((r) => r.pseudonym && r.subject && childOf(r.subject)?.child)
      .map((r) => states.get(r.pseudonym!))
      .filter((s): s is StateRow => !!s && s.state === 'granted' && s.lastEventSeq != null);
    const wanted = [...new Set([...revoked, ...parental])];
    for (const part of chunks(wanted)) {
      const seqs = [...new Map(part.map((s) => [String(s.lastEventSeq), s.lastEventSeq!])).values()];
      const events = await getService('ledger').eventsBySeq(seqs, ['seq', 'evidence', 'actor']);
      const bySeq = new Map(events.map((e) => [String(e.seq), e]));
      for (const s of part) {
        const event = bySeq.get(String(s.lastEventSeq));
        if (s.state === 'revoked')
          s.revokedFor = (json(event?.evidence ?? null) as { reason?: string } | null)?.reason ?? null;
        else s.grantedByParent = event?.actor === PARENT_ACTOR;
      }
    }
  };

  /** Every hash a person is known by: the one asked about (an unknown number may still be on Bloctel) and theirs. */
  const hashesOf = (r: Resolved): string[] => [
    ...r.askedHashes,
    ...(r.subject ? getService('subjects').allHashes(r.subject) : []),
  ];

  type Entries = Map<string, { reason: SuppressionReason; createdAt: Date | null }[]>;
  const NONE: { reason: SuppressionReason; createdAt: Date | null }[] = [];
  /** The suppression entries on any of the person's hashes. */
  const entriesOf = (suppressions: Entries, r: Resolved) =>
    [...new Set(hashesOf(r))].flatMap((h) => suppressions.get(h) ?? []);

  const suppressionsOf = async (resolved: Resolved[], channel: Channel) => {
    const map = new Map<string, { reason: SuppressionReason; createdAt: Date | null }[]>();
    const hashes = [...new Set(resolved.flatMap(hashesOf))];
    for (const entry of await getService('suppression').matching(hashes, channel)) {
      map.set(entry.identifierHash, [...(map.get(entry.identifierHash) ?? []), entry]);
    }
    return map;
  };

  /**
   * The latest `evidence.softOptIn` per person on the ledger for this purpose and channel: a later record
   * (a correction) replaces an earlier one. Evidence only ever comes from server-side writers (imports,
   * the API), never from what a form sends.
   */
  const softOptInOf = async (pseudonyms: string[], purpose: string, channel: Channel) => {
    const latest = new Map<string, { seq: number; evidence: SoftOptInEvidence }>();
    for (const part of chunks([...new Set(pseudonyms)])) {
      const rows = await getService('ledger').evidenceOf(part, purpose, channel);
      for (const row of rows) {
        const evidence = json(row.evidence);
        const softOptIn = (evidence as { softOptIn?: unknown } | null)?.softOptIn;
        if (!softOptIn || typeof softOptIn !== 'object') continue;
        const seq = Number(row.seq);
        if ((latest.get(row.subject)?.seq ?? -1) < seq)
          latest.set(row.subject, { seq, evidence: softOptIn as SoftOptInEvidence });
      }
    }
    return latest;
  };

  /**
   * The evidence suppression-rules needs to decide whether the person's own act lifted their entry: when
   * their own opt-in last granted the consent that stands (`ownGrantAt` over their events for this purpose
   * and channel, with whether double opt-in applied to each form grant). Read only for people whose
   * consent is granted and who have an entry their own act could lift: none at all on most checks, and one
   * query per 500 such people (plus one for the forms named) otherwise.
   */
  const ownGrantsOf = async (
    purpose: { key: string; legalBasis: string; doubleOptIn?: boolean },
    channel: Channel,
    resolved: Resolved[],
    states: Map<string, StateRow>,
    entries: { reason: SuppressionReason }[][]
  ): Promise<Map<string, Date | null>> => {
    const out = new Map<string, Date | null>();
    if (purpose.legalBasis !== 'consent') return out;
    const wanted = new Set<string>();
    resolved.forEach((r, i) => {
      if (!r.pseudonym || entries[i].length === 0 || states.get(r.pseudonym)?.state !== 'granted') return;
      if (entries[i].some((e) => (LIFTABLE_REASONS as readonly string[]).includes(e.reason))) wanted.add(r.pseudonym);
    });
    if (wanted.size === 0) return out;
    const rows: (Record<string, unknown> & { subject: string })[] = [];
    for (const part of chunks([...wanted])) {
      rows.push(...(await getService('ledger').grantEvidenceOf(part, purpose.key, channel)));
    }
    // Double opt-in applies to a form grant by the purpose's setting or its form's (an unknown form: assume it did).
    const formKeys = [...new Set(rows.map((r) => r.formKey as string | null).filter((k): k is string => !!k))];
    const formDoi =
      formKeys.length && channel === 'email' && !purpose.doubleOptIn
        ? await getService('forms').doubleOptInOf(formKeys)
        : new Map<string, boolean>();
    const bySubject = new Map<string, GrantEvidenceEvent[]>();
    for (const r of rows) {
      const formKey = r.formKey as string | null;
      const event: GrantEvidenceEvent = {
        seq: Number(r.seq),
        action: r.action as GrantEvidenceEvent['action'],
        state: r.state as GrantEvidenceEvent['state'],
        method: r.method as GrantEvidenceEvent['method'],
        channel: r.channel as Channel,
        noticeId: r.noticeId == null ? null : Number(r.noticeId),
        occurredAt: new Date(r.occurredAt as string),
        doubleOptIn: !!purpose.doubleOptIn || (formKey ? (formDoi.get(formKey) ?? true) : false),
      };
      bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), event]);
    }
    for (const pseudonym of wanted) out.set(pseudonym, ownGrantAt(bySubject.get(pseudonym) ?? []));
    return out;
  };

  /**
   * Everything the rules ask about these people besides their states, loaded only when the purpose needs
   * it: suppression entries (direct marketing), soft opt-in evidence (claimed on email or SMS), current
   * contracts (contract basis). One query per kind per 500 people.
   */
  const evidenceFor = async (
    purpose: Purpose,
    channel: Channel,
    resolved: Resolved[],
    pseudonyms: string[],
    now: Date,
    states: Map<string, StateRow>,
    screened: Resolved[] = resolved
  ) => {
    const suppressions: Entries = screenedBySuppression(purpose.legalBasis, purpose.directMarketing)
      ? await suppressionsOf(screened, channel)
      : new Map();
    const softOptInClaimed =
      purpose.legalBasis === 'legitimate-interest' && purpose.softOptIn && (channel === 'email' || channel === 'sms');
    const softOptIn = softOptInClaimed ? await softOptInOf(pseudonyms, purpose.key, channel) : new Map();
    const contracts =
      purpose.legalBasis === 'contract'
        ? await getService('relationships').current(pseudonyms, now)
        : new Set<string>();
    // Most pages meet no suppression entry: then nothing more is allocated or read per person.
    const entries = suppressions.size ? resolved.map((r) => entriesOf(suppressions, r)) : null;
    const ownGrants = entries ? await ownGrantsOf(purpose, channel, resolved, states, entries) : null;
    const siteJurisdiction = config().jurisdiction;
    await readLastEvents(resolved, states);
    return {
      context: (r: Resolved, i: number, asked: Jurisdiction | undefined): EligibilityContext => ({
        jurisdiction: r.subject?.jurisdiction ?? siteJurisdiction,
        askedJurisdiction: asked ?? null,
        subjectAudience: r.subject?.audience ?? null,
        currentContract: !!r.pseudonym && contracts.has(r.pseudonym),
        suppressions: entries ? entries[i] : NONE,
        softOptIn: r.pseudonym ? (softOptIn.get(r.pseudonym)?.evidence ?? null) : null,
        ownGrantedAt: r.pseudonym ? (ownGrants?.get(r.pseudonym) ?? null) : null,
        child: r.subject ? childOf(r.subject) : null,
        childMarketingAllowed: config().children.directMarketing,
      }),
    };
  };

  return {
    /** `options` is the check's instant, or `{ now, jurisdiction }`. */
    async check(
      purposeKey: string,
      channel: Channel | undefined,
      ref: SubjectRef,
      options?: Date | CheckOptions
    ): Promise<Eligibility> {
      return (await this.checkMany(purposeKey, channel, [ref], options))[0];
    },

    /** One answer per reference, in order; a person unknown to the ledger is in state `none`. */
    async checkMany(
      purposeKey: string,
      channelAsked: Channel | undefined,
      refs: SubjectRef[],
      options?: Date | CheckOptions
    ): Promise<Eligibility[]> {
      const { now, jurisdiction } = optionsOf(options);
      const { purpose, channel, outdated } = await purposeFor(purposeKey, channelAsked);
      const { resolved, states } = await resolve(refs, purpose.key, channel);
      const known = resolved.map((r) => r.pseudonym).filter((p): p is string => !!p);
      const evidence = await evidenceFor(purpose, channel, resolved, known, now, states);
      return resolved.map((r, i) =>
        decideEligibility(
          purpose,
          channel,
          toState(r.pseudonym ? states.get(r.pseudonym) : undefined, outdated),
          now,
          evidence.context(r, i, jurisdiction)
        )
      );
    },

    /** The purpose and channel of a check: 400 for an unknown purpose, or no channel when it has several. */
    async purposeFor(purposeKey: string, channel: Channel | undefined) {
      return purposeFor(purposeKey, channel);
    },

    /**
     * checkMany's rules for a page of people already read from `consent_subjects` (audiences): no lookup
     * by identifier, and `states` may be given when the caller read them with the page. A handful of
     * queries per page whatever its size (states, suppression entries, soft opt-in evidence).
     * `mayBeSuppressed`, when given, names the only people whose suppression entries are read: the
     * caller knows the others have none (it read that with the page, on the same hashes).
     */
    async checkPage(
      purpose: Awaited<ReturnType<typeof purposeFor>>['purpose'],
      channel: Channel,
      people: PagePerson[],
      options: CheckOptions & {
        states?: Map<string, PageState>;
        mayBeSuppressed?: (person: PagePerson) => boolean;
      } = {}
    ): Promise<Eligibility[]> {
      const { now, jurisdiction } = optionsOf(options);
      const resolved: Resolved[] = people.map((subject) => ({
        pseudonym: subject.pseudonym,
        askedHashes: [],
        subject,
      }));
      const pseudonyms = people.map((p) => p.pseudonym);
      const states = options.states ?? (await statesOf(pseudonyms, purpose.key, channel));
      const { mayBeSuppressed } = options;
      const screened = mayBeSuppressed ? resolved.filter((r) => mayBeSuppressed(r.subject!)) : resolved;
      const evidence = await evidenceFor(purpose, channel, resolved, pseudonyms, now, states, screened);
      const outdated = await (await getService('catalogue').view()).outdatedNotices([purpose.key]);
      return resolved.map((r, i) =>
        decideEligibility(
          purpose,
          channel,
          toState(states.get(r.pseudonym!), outdated),
          now,
          evidence.context(r, i, jurisdiction)
        )
      );
    },
  };
};

/** A person as checkPage reads them: the columns of `consent_subjects` the rules use. */
export type PagePerson = SubjectInfo;
/** A `consent_states` row as checkPage reads it. */
export type PageState = StateRow;

export default eligibility;
export type EligibilityService = ReturnType<typeof eligibility>;
