import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Audience, ConsentState, Jurisdiction, SuppressionReason } from '../../../shared/contracts/domain';
import type { Purpose } from '../../../shared/contracts/purposes';
import {
  IMPORT_PROOF_ELEMENTS,
  type ImportEvent,
  type ImportEvents,
  type ImportOutcome,
  type ImportWarning,
  type ImportProof,
  type ImportProofElement,
} from '../../../shared/contracts/subjects';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, UID } from '../constants';
import { grantWaitsForPhoneVerification, PHONE_VERIFIED_CHANNELS } from '../domain/phone-verification';
import { methodMayLift, standingSuppressions } from '../domain/suppression-rules';
import { ConflictError } from '../errors';
import { canonicalJson, sha256Hex } from '../utils/canonical-json';
import { getService } from '../utils/get-service';
import type { NewEvent } from './ledger';
import type { Identifiers, SubjectProfile } from './subjects';

type ImportBody = ImportEvents.Request['body'];
type ImportAnswer = ImportEvents.Response['data'];
type Problem = { path: string[]; message: string };

interface NoticeRef {
  id: number;
  version: number;
  hash: string;
  language: string;
}

/** One imported event once everything that needs the database has been checked. */
interface Prepared {
  index: number;
  event: ImportEvent;
  purpose: Purpose;
  identifiers: Identifiers;
  /** What the row says of the person (C2): recorded on them. */
  profile: SubjectProfile;
  at: Date;
  notice: NoticeRef | null;
  /** Proof elements a consent grant lacks (J2); empty for every other event. */
  missing: ImportProofElement[];
}

/** A person of the call as recorded after it: the row's audience and jurisdiction applied (C2). */
interface Person {
  pseudonym: string;
  hashes: string[];
  audience: Audience | null;
  jurisdiction: Jurisdiction | null;
}

const CHUNK = 500;
const DAY = 86_400_000;
const STATE_OF = { granted: 'granted', refused: 'refused', withdrawn: 'withdrawn', objected: 'objected' } as const;
// An unticked box never withdraws (capture-rules): a refusal recorded elsewhere does not either.
const REFUSAL_KEEPS: ConsentState[] = ['granted', 'pending', 'objected'];

const plain = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
const sameName = (a: string, b: string) => plain(a) === plain(b);

/** The J2 elements a grant's proof lacks, in a stable order. */
export const missingProof = (proof: ImportProof | undefined, controllerName: string): ImportProofElement[] => {
  const present: Record<ImportProofElement, boolean> = {
    formVersion: !!(proof?.formVersion?.trim() || proof?.screenshot?.trim()),
    timestamp: !!proof?.timestamp,
    // "Our company" must be among the recipients the person was shown: without a configured controller
    // name nothing can show that, so no import grant counts until `controller.name` is set.
    recipients: !!controllerName.trim() && !!proof?.recipients?.some((r) => sameName(r, controllerName)),
    uiEvidence: !!proof?.uiEvidence?.trim(),
  };
  return IMPORT_PROOF_ELEMENTS.filter((element) => !present[element]);
};

/**
 * The event's evidence: where it came from and the proof as sent, soft opt-in evidence where eligibility
 * reads it, and a phone verification under the key the phone-verifications route uses (B5, N16).
 */
const evidenceOf = (source: ImportBody['source'], event: ImportEvent) => {
  const { softOptIn, ...rest } = event.proof ?? {};
  const verification = event.phoneVerification;
  return {
    source: { type: source.type, name: source.name },
    ...(Object.keys(rest).length ? { proof: rest } : {}),
    ...(softOptIn ? { softOptIn: { ...softOptIn } } : {}),
    ...(verification
      ? {
          verification: {
            method: verification.method,
            reference: verification.reference,
            verifiedAt: new Date(verification.verifiedAt).toISOString(),
          },
        }
      : {}),
  };
};

/**
 * Consent captured elsewhere (spec 4.2 `POST /api/consent/events`; J2): a call centre, paper forms, a
 * partner or a lead seller. Each event is recorded through the ledger with method `import` (or `api`),
 * actor `import:<source>`, and `{ source, proof }` as evidence. A consent grant without the proof J2 asks
 * for is recorded and, in the same transaction, revoked by the plugin (`revoked`, reason
 * `proof-incomplete`): the ledger keeps what was claimed, and the person stays ineligible
 * (`unproven-import`) until they opt in themselves. A German consumer's phone/SMS grant is recorded
 * `pending` (action `requested`) unless the row carries `phoneVerification` (B5, N16).
 */
const imports = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  const fail = (problems: Problem[]): never => {
    throw new errors.ValidationError(problems[0].message, { errors: problems });
  };

  /** The notices the proofs point at, by id and by (purpose, hash), in two queries. */
  const loadNotices = async (events: ImportEvent[]) => {
    const ids = [...new Set(events.map((e) => e.proof?.noticeId).filter((id): id is number => id !== undefined))];
    const hashes = [
      ...new Set(
        events
          .filter((e) => e.proof?.noticeId === undefined)
          .map((e) => e.proof?.noticeHash)
          .filter((h): h is string => !!h)
      ),
    ];
    const rows: {
      id: number;
      purpose: string;
      version: number;
      contentHash: string | null;
      language: string;
      status: string;
    }[] = [...(await getService('notices').withIds(ids)), ...(await getService('notices').withContentHashes(hashes))];
    return rows.filter((r) => r.status !== 'draft' && r.contentHash);
  };

  /** Everything that can refuse the call, before anything is written: 400 naming each field. */
  const prepare = async (body: ImportBody): Promise<Prepared[]> => {
    const purposes = await getService('purposes').byKeys([...new Set(body.events.map((e) => e.purpose))]);
    const notices = await loadNotices(body.events);
    const controllerName = config().controller.name;
    const subjects = getService('subjects');
    const problems: Problem[] = [];
    const out: Prepared[] = [];

    body.events.forEach((event, index) => {
      const at = (...path: string[]) => ['events', String(index), ...path];
      const problem = (path: string[], message: string) =>
        problems.push({ path, message: `${path.join('.')}: ${message}` });
      const purpose = purposes.get(event.purpose);
      if (!purpose) return problem(at('purpose'), `no purpose with key "${event.purpose}"`);
      if (!purpose.channels.includes(event.channel)) {
        return problem(at('channel'), `"${event.purpose}" is not on ${event.channel} (${purpose.channels.join(', ')})`);
      }
      // Only consent is granted, refused or withdrawn; an objection stands against any basis (C4). A
      // legitimate-interest "grant" records the existing-customer evidence of the soft opt-in (C1).
      const softOptIn = !!event.proof?.softOptIn;
      const allowed =
        purpose.legalBasis === 'consent' ||
        event.action === 'objected' ||
        (purpose.legalBasis === 'legitimate-interest' && event.action === 'granted' && softOptIn);
      if (!allowed) {
        return problem(
          at('action'),
          purpose.legalBasis === 'legitimate-interest'
            ? `"${event.purpose}" is on legitimate interest: only "objected", or "granted" with proof.softOptIn`
            : `"${event.purpose}" (${purpose.legalBasis}) can only be objected to`
        );
      }
      if (softOptIn && purpose.legalBasis !== 'legitimate-interest') {
        return problem(at('proof', 'softOptIn'), `soft opt-in evidence is for legitimate-interest purposes`);
      }
      if (event.phoneVerification && !(event.action === 'granted' && PHONE_VERIFIED_CHANNELS.includes(event.channel))) {
        return problem(
          at('phoneVerification'),
          `is evidence for a grant on ${PHONE_VERIFIED_CHANNELS.join(' or ')} only`
        );
      }

      let notice: NoticeRef | null = null;
      const { noticeId, noticeVersion, noticeHash } = event.proof ?? {};
      if (noticeId !== undefined || noticeHash !== undefined || noticeVersion !== undefined) {
        if (noticeId === undefined && noticeHash === undefined) {
          return problem(at('proof', 'noticeVersion'), `needs proof.noticeId or proof.noticeHash beside it`);
        }
        const row = notices.find(
          (n) =>
            n.purpose === event.purpose &&
            (noticeId === undefined || n.id === noticeId) &&
            (noticeHash === undefined || n.contentHash === noticeHash) &&
            (noticeVersion === undefined || n.version === noticeVersion)
        );
        if (!row) {
          return problem(
            at('proof', noticeId !== undefined ? 'noticeId' : 'noticeHash'),
            `no published version of the "${event.purpose}" notice matches`
          );
        }
        notice = { id: row.id, version: row.version, hash: row.contentHash!, language: row.language };
      }

      let identifiers: Identifiers;
      try {
        identifiers = subjects.normalise(event.subject, 'subject');
      } catch (error) {
        if (!(error instanceof errors.ValidationError)) throw error;
        const details = (error.details as { errors?: Problem[] }).errors ?? [];
        for (const d of details) {
          const path = at(...d.path);
          problems.push({ path, message: `${path.join('.')}${d.message.replace(/^subject(\.[A-Za-z]+)?/, '')}` });
        }
        return;
      }

      const grant = purpose.legalBasis === 'consent' && event.action === 'granted';
      out.push({
        index,
        event,
        purpose,
        identifiers,
        profile: { audience: event.subject.audience, jurisdiction: event.subject.jurisdiction },
        at: new Date(Math.floor(Date.parse(event.occurredAt))),
        notice,
        missing: grant ? missingProof(event.proof, controllerName) : [],
      });
    });

    if (problems.length) fail(problems);
    return out;
  };

  /**
   * The pseudonym of every person of the call, by identifier set (JSON of the normalised identifiers):
   * known people are found, new ones created in bulk, new identifiers linked to a known person
   * (`subjects.resolveMany`), with the audience and jurisdiction a row states (the latest row's, C2). Runs
   * under the ledger lock.
   */
  const resolveAll = async (
    people: { identifiers: Identifiers; profile: SubjectProfile }[]
  ): Promise<Map<string, Person>> => {
    const byKey = new Map<string, { identifiers: Identifiers; profile: SubjectProfile }>();
    for (const { identifiers, profile } of people) {
      const key = JSON.stringify(identifiers);
      const known = byKey.get(key)?.profile ?? {};
      byKey.set(key, {
        identifiers,
        profile: {
          audience: profile.audience ?? known.audience,
          jurisdiction: profile.jurisdiction ?? known.jurisdiction,
        },
      });
    }
    const resolved = await getService('subjects').resolveMany([...byKey.values()]);
    return new Map(
      [...byKey.keys()].map((key, i) => {
        const { subject } = resolved[i];
        const { pseudonym, audience, jurisdiction } = subject;
        // Under every secret of the ring: suppression entries made before a rotation still bar the import.
        return [key, { pseudonym, hashes: getService('subjects').allHashes(subject), audience, jurisdiction }];
      })
    );
  };

  /**
   * The suppression entries on these identifier hashes for `channel` (or every channel), read through the
   * query engine so that they are read inside the import's transaction.
   */
  const suppressionsOf = async (hashes: string[], channel: string) => {
    const out = new Map<string, { reason: SuppressionReason }[]>();
    const unique = [...new Set(hashes)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await getService('suppression').reasonsOn(unique.slice(i, i + CHUNK), channel);
      for (const r of rows) out.set(r.identifierHash, [...(out.get(r.identifierHash) ?? []), { reason: r.reason }]);
    }
    return out;
  };

  /** The import already recorded under this source and reference, if any. */
  const recordedBatch = async (body: ImportBody): Promise<{ requestHash: string; response: ImportAnswer } | null> => {
    if (!body.reference) return null;
    const row = await strapi.db.query(UID.importBatch).findOne({
      select: ['requestHash', 'response'],
      where: { source: body.source.name.trim(), reference: body.reference },
    });
    if (!row) return null;
    return {
      requestHash: row.requestHash,
      response: typeof row.response === 'string' ? JSON.parse(row.response) : row.response,
    };
  };

  /** A retry answers what the first call answered; the same reference for another batch is a 409. */
  const replay = (found: { requestHash: string; response: ImportAnswer }, body: ImportBody, requestHash: string) => {
    if (found.requestHash !== requestHash) {
      throw new ConflictError(
        `reference "${body.reference}" was already used by source "${body.source.name.trim()}" for another batch: send a new reference`,
        { path: ['reference'], reference: body.reference },
        'ImportReferenceReused'
      );
    }
    return { replayed: true, data: found.response };
  };

  const statesOf = async (pseudonyms: string[]) => {
    const map = new Map<string, { state: ConsentState; changedAt: number; reconsentRequired?: boolean }>();
    const unique = [...new Set(pseudonyms)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await getService('ledger').currentStatesOf(unique.slice(i, i + CHUNK));
      for (const r of rows)
        map.set(`${r.subject}|${r.purpose}|${r.channel}`, {
          state: r.state as ConsentState,
          changedAt: new Date(r.changedAt).getTime(),
          reconsentRequired: !!r.reconsentRequired,
        });
    }
    return map;
  };

  return {
    /**
     * Forgets batch references older than `retention.importBatchDays` (nightly, `consent:import-batch-retention`):
     * the idempotency of a retry (J2, N7) needs them for days, not forever (Art. 5(1)(e)). The events
     * the batch recorded stay on the ledger; a call with the same reference afterwards is a new batch.
     */
    async purgeBatches(now = new Date()): Promise<{ deleted: number }> {
      const cutoff = new Date(now.getTime() - config().retention.importBatchDays * DAY);
      const { count } = await strapi.db.query(UID.importBatch).deleteMany({ where: { createdAt: { $lt: cutoff } } });
      return { deleted: count };
    },

    /**
     * Records a validated import (at most IMPORT_MAX_EVENTS events) in one transaction: all or nothing.
     * Events are recorded in the order of their `occurredAt` (the order sent for equal times), which is
     * also the time the ledger keeps for them. An event older than what the ledger already holds for that
     * person, purpose and channel is skipped: appended now, it would replace a newer decision (a
     * withdrawal yesterday must not be undone by a grant from last year). So is a refusal where a grant,
     * request or objection stands: withdrawing is its own act.
     */
    async record(body: ImportBody): Promise<{ replayed: boolean; data: ImportAnswer }> {
      // The canonical body: a retry that sends the same batch with its keys in another order is the same batch.
      const requestHash = sha256Hex(canonicalJson(body));
      const earlier = await recordedBatch(body);
      if (earlier) return replay(earlier, body, requestHash);
      const prepared = await prepare(body);
      const ordered = [...prepared].sort((a, b) => a.at.getTime() - b.at.getTime());
      const actor = `import:${body.source.name.trim()}`;

      return strapi.db.transaction(async () => {
        await getService('ledger').lock();
        // Under the lock: two retries sent at once are recorded once.
        const raced = await recordedBatch(body);
        if (raced) return replay(raced, body, requestHash);
        const people = await resolveAll(ordered.map((p) => ({ identifiers: p.identifiers, profile: p.profile })));
        const personOf = (p: Prepared) => people.get(JSON.stringify(p.identifiers))!;
        const subjectOf = (p: Prepared) => personOf(p).pseudonym;
        const states = await statesOf([...people.values()].map((person) => person.pseudonym));

        const events: NewEvent[] = [];
        const outcomes = new Map<number, ImportOutcome & { eventIndex?: number }>();
        for (const p of ordered) {
          const subject = subjectOf(p);
          const key = `${subject}|${p.purpose.key}|${p.event.channel}`;
          const current = states.get(key) ?? { state: 'none' as ConsentState, changedAt: -Infinity };
          const skip = (reason: ImportOutcome['reason']) =>
            outcomes.set(p.index, { index: p.index, subject, status: 'skipped', state: current.state, reason });
          if (p.at.getTime() < current.changedAt) {
            skip('older-than-ledger');
            continue;
          }
          if (p.event.action === 'refused' && REFUSAL_KEEPS.includes(current.state)) {
            skip('refusal-does-not-withdraw');
            continue;
          }
          // An objection is absolute (C4): a grant claimed by someone else never replaces it. Only the
          // person's own opt-in through the plugin can (suppression-rules.ts).
          if (p.event.action === 'granted' && current.state === 'objected' && !methodMayLift(p.event.method)) {
            skip('objection-stands');
            continue;
          }

          const base = {
            subject,
            purpose: p.purpose.key,
            channel: p.event.channel,
            method: p.event.method,
            legalBasis: p.purpose.legalBasis,
            noticeId: p.notice?.id ?? null,
            noticeVersion: p.notice?.version ?? null,
            noticeHash: p.notice?.hash ?? null,
            noticeLanguage: p.notice?.language ?? null,
            lifetimeDays: p.purpose.lifetimeDays ?? null,
            // The time it happened, not the time it reached us; the chain orders by `seq`, so a past time
            // is fine, and the lifetime of a grant counts from when it was given.
            occurredAt: p.at,
          };
          // A German consumer's number is not proven by a claim: pending until verified, unless the row
          // carries the verification (B5, N16; phone-verification.ts, the rule forms and the preference centre use).
          const person = personOf(p);
          const waits =
            p.event.action === 'granted' &&
            p.purpose.legalBasis === 'consent' &&
            grantWaitsForPhoneVerification({
              channel: p.event.channel,
              jurisdiction: person.jurisdiction ?? config().jurisdiction,
              audience: person.audience,
              current,
              verified: !!p.event.phoneVerification,
            });
          const state: ConsentState = waits ? 'pending' : STATE_OF[p.event.action];
          outcomes.set(p.index, {
            index: p.index,
            subject,
            status: p.missing.length ? 'unproven' : 'recorded',
            state,
            eventIndex: events.length,
            ...(p.missing.length ? { missing: p.missing } : {}),
          });
          events.push({
            ...base,
            action: waits ? 'requested' : p.event.action,
            state,
            actor,
            evidence: evidenceOf(body.source, p.event),
          });
          if (p.missing.length) {
            // Same instant as the grant: it was never valid, and a later event of this import (a
            // withdrawal a year on) must still come after it.
            events.push({
              ...base,
              action: 'revoked',
              state: 'revoked',
              actor: 'system',
              evidence: { reason: 'proof-incomplete', missing: p.missing },
            });
          }
          states.set(key, {
            state: p.missing.length ? 'revoked' : state,
            changedAt: p.at.getTime(),
            reconsentRequired: false,
          });
        }

        const stored = await getService('ledger').append(events);

        // A recorded grant leaves the person's suppression entries as they were: an import never lifts one
        // (C4, J2, N7). Each such row says so.
        const grants = prepared.filter(
          (p) => p.event.action === 'granted' && outcomes.get(p.index)?.status === 'recorded'
        );
        const warned = new Set<number>();
        for (const channel of new Set(grants.map((p) => p.event.channel))) {
          const onChannel = grants.filter((p) => p.event.channel === channel);
          const entries = await suppressionsOf(
            onChannel.flatMap((p) => personOf(p).hashes),
            channel
          );
          for (const p of onChannel) {
            const mine = personOf(p).hashes.flatMap((h) => entries.get(h) ?? []);
            // An import is never the person's own act: no grant time of theirs to lift anything with.
            if (standingSuppressions(mine, { basis: p.purpose.legalBasis, ownGrantedAt: null }).length)
              warned.add(p.index);
          }
        }

        const result: ImportOutcome[] = prepared.map((p) => {
          const { eventIndex, ...outcome } = outcomes.get(p.index)!;
          const final = states.get(`${outcome.subject}|${p.purpose.key}|${p.event.channel}`)?.state ?? outcome.state;
          const warnings: ImportWarning[] = warned.has(p.index) ? ['suppression-not-lifted'] : [];
          if (outcome.status === 'recorded' && outcome.state === 'pending') warnings.push('phone-verification-pending');
          return {
            ...outcome,
            state: final,
            ...(eventIndex !== undefined ? { eventId: stored[eventIndex].eventId } : {}),
            ...(warnings.length ? { warnings } : {}),
          };
        });
        const data: ImportAnswer = {
          recorded: result.filter((r) => r.status === 'recorded').length,
          unproven: result.filter((r) => r.status === 'unproven').length,
          skipped: result.filter((r) => r.status === 'skipped').length,
          events: result,
        };
        if (body.reference) {
          await strapi.db.query(UID.importBatch).create({
            data: { source: body.source.name.trim(), reference: body.reference, requestHash, response: data },
          });
        }
        return { replayed: false, data };
      });
    },
  };
};

export default imports;
export type ImportsService = ReturnType<typeof imports>;
