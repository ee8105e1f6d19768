import type { Core } from '@strapi/strapi';
import { ERASURE_MARK } from '../domain/report-rules';
import { errors } from '@strapi/utils';
import type { ConsentMethod, IdentifierType, LegalBasis } from '../../../shared/contracts/domain';
import type { Purpose } from '../../../shared/contracts/purposes';
import type { ErasureResult, SubjectExport, SubjectLookup } from '../../../shared/contracts/subjects';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { withdrawalTextFor } from '../domain/withdrawal-text';
import { toLedgerEvent, toSubjectRecord } from '../utils/record-rows';
import { getService } from '../utils/get-service';
import { iso, json, num } from '../utils/row-values';
import type { SubjectRow } from './subjects';

type Knex = Core.Strapi['db']['connection'];
// Rows of Strapi's query engine, whose results are untyped.
type Row = Record<string, any>;

const IDENTIFIERS: { type: IdentifierType; hash: 'emailHash' | 'phoneHash' | 'externalIdHash' }[] = [
  { type: 'email', hash: 'emailHash' },
  { type: 'phone', hash: 'phoneHash' },
  { type: 'externalId', hash: 'externalIdHash' },
];

/** Events an erasure writes carry this and nothing else: the request is logged without personal content. */
// The mark the compliance report counts erasures by (domain/report-rules `ERASURE_MARK`).
const ERASURE_EVIDENCE = { [ERASURE_MARK]: true };

/** Emitted on the event hub (not a webhook) once an erasure is committed; see `erase`. */
export const ERASURE_EVENT = 'consent.erasure';

export interface ErasureBy {
  method: Extract<ConsentMethod, 'api' | 'admin'>;
  /** Who asked: `admin:<id>`, `api-token:<id>` … (never the person's identifiers). */
  actor: string;
}

/**
 * Data-subject rights over consent records (spec 4.2, 4.3): access and portability (Art. 15, 20; H1, H2)
 * as one JSON document, and erasure (Art. 17; I1, I2) that removes what identifies the person while the
 * pseudonymous proof and the suppression entries stay (legal-requirements §4).
 */
const rights = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  /** A lookup's identifier, normalised like every other route; a bad one is a 400 naming its field. */
  const normalised = (lookup: SubjectLookup): { type: IdentifierType; value: string } | null => {
    if ('subject' in lookup) return null;
    const type = Object.keys(lookup)[0] as IdentifierType;
    try {
      const given = (lookup as Record<string, string>)[type];
      const value = getService('subjects').normalise({ [type]: given }, 'subject')[type];
      if (!value) throw new errors.ValidationError(`subject.${type} is empty`);
      return { type, value };
    } catch (error) {
      if (!(error instanceof errors.ValidationError)) throw error;
      const message = error.message.replace(/^subject\./, '');
      throw new errors.ValidationError(message, { errors: [{ path: [type], message }] });
    }
  };

  const findSubject = async (lookup: SubjectLookup): Promise<SubjectRow | null> => {
    if ('subject' in lookup) return getService('subjects').byPseudonym(lookup.subject);
    const id = normalised(lookup)!;
    return getService('subjects').find({ [id.type]: id.value });
  };

  /** The person's hashes under the current secret (from the identifiers in clear; stored ones if not held). */
  const hashesOf = (subject: SubjectRow) =>
    IDENTIFIERS.filter((i) => subject[i.hash]).map((i) => ({
      type: i.type,
      hash: subject[i.type] ? getService('subjects').hash(i.type, subject[i.type]!) : (subject[i.hash] as string),
    }));

  const allPurposes = async (): Promise<Purpose[]> => {
    return [...(await getService('purposes').byKeys(await getService('purposes').allKeys())).values()];
  };

  /** When an identifier nobody holds any more was erased, from its erasure entry (idempotent answers). */
  const erasedUnder = async (trx: Knex, lookup: SubjectLookup): Promise<string | null> => {
    const id = normalised(lookup);
    if (!id) return null;
    // Under any secret of the ring: an erasure from before a rotation still answers.
    const at = await getService('suppression').erasedAt(trx, getService('subjects').hashes(id.type, id.value));
    return at ? iso(at) : null;
  };

  return {
    /** The person a lookup names (an identifier, by keyed hash, or a pseudonym); null when nobody. */
    async find(lookup: SubjectLookup): Promise<SubjectRow | null> {
      return findSubject(lookup);
    },

    /**
     * Everything about one person (H1, H2): identifiers and profile, every ledger event in order, the full
     * text of every notice version they were shown, receipts as signed, current states, double opt-in
     * requests and the suppression entries on their identifiers. Read-only.
     */
    async export(pseudonym: string): Promise<SubjectExport> {
      const subject = await getService('subjects').byPseudonym(pseudonym);
      if (!subject) throw new errors.NotFoundError('No person with this subject id', { subject: pseudonym });
      const [events, states, receipts, confirmations]: Row[][] = await Promise.all([
        getService('ledger').eventsOf(pseudonym),
        getService('ledger').statesOfSubject(pseudonym),
        getService('receipts').ofSubject(pseudonym),
        getService('confirmations').ofSubject(pseudonym),
      ]);
      const hashes = getService('subjects').allHashes(subject);
      const suppressions: Row[] = await getService('suppression').ofHashes(hashes);

      // Every notice version any record points to: the exact texts shown (H1).
      const noticeIds = new Set<number>();
      const add = (id: unknown) => id != null && noticeIds.add(Number(id));
      events.forEach((e) => add(e.noticeId));
      states.forEach((s) => add(s.noticeId));
      receipts.forEach((r) =>
        json<{ purposes?: { notice?: { id?: number } | null }[] }>(r.body)?.purposes?.forEach((p) => add(p.notice?.id))
      );
      confirmations.forEach((c) => json<{ noticeId?: number }[]>(c.purposes)?.forEach((p) => add(p.noticeId)));
      const notices: Row[] = await getService('notices').byIds([...noticeIds]);

      const purposeKeys = new Set<string>([
        ...events.map((e) => e.purpose),
        ...states.map((s) => s.purpose),
        ...notices.map((n) => n.purpose),
        ...confirmations.flatMap((c) => (json<{ purpose: string }[]>(c.purposes) ?? []).map((p) => p.purpose)),
      ]);
      const purposes = await getService('purposes').byKeys([...purposeKeys]);
      const basisOf = (key: string): LegalBasis => purposes.get(key)?.legalBasis ?? 'consent';
      const reconsent = await getService('catalogue').reconsent([...new Set(states.map((s) => s.purpose as string))]);

      return {
        format: 'strapi-plugin-consent/subject-export@1',
        exportedAt: new Date().toISOString(),
        controller: { ...config().controller },
        subject: toSubjectRecord(subject),
        purposes: [...purposes.values()].map((p) => ({
          key: p.key,
          name: p.name,
          legalBasis: p.legalBasis,
          channels: p.channels,
          lifetimeDays: p.lifetimeDays,
        })),
        states: states.map((s) => ({
          purpose: s.purpose,
          channel: s.channel,
          state: s.state,
          legalBasis: s.legalBasis,
          noticeId: num(s.noticeId),
          noticeVersion: num(s.noticeVersion),
          changedAt: iso(s.changedAt)!,
          grantedAt: iso(s.grantedAt),
          expiresAt: iso(s.expiresAt),
          reconsentRequired: reconsent(s),
        })),
        events: events.map((row) => {
          const {
            subject: _pseudonym,
            noticeId,
            noticeVersion,
            noticeHash,
            noticeLocale,
            ...event
          } = toLedgerEvent(row);
          return {
            ...event,
            // Selected by the person's pseudonym: never a pruned event (I5), so the actor is there.
            actor: event.actor ?? '',
            notice:
              noticeId == null
                ? null
                : { id: noticeId, version: noticeVersion, hash: noticeHash, locale: noticeLocale },
          };
        }),
        notices: notices.map((n) => ({
          id: n.id,
          purpose: n.purpose,
          locale: n.language,
          version: n.version,
          status: n.status,
          title: n.title,
          body: n.body,
          withdrawal: withdrawalTextFor(n as { language: string; withdrawalText?: string | null }, basisOf(n.purpose)),
          dataCategories: json<string[]>(n.dataCategories) ?? [],
          recipients: json<string[]>(n.recipients) ?? [],
          privacyPolicyUrl: n.privacyPolicyUrl ?? null,
          hash: n.contentHash ?? null,
          effectiveAt: iso(n.effectiveAt),
          retiredAt: iso(n.retiredAt),
        })),
        receipts: receipts.map((r) => ({
          receiptId: r.receiptId,
          formKey: r.formKey ?? null,
          issuedAt: iso(r.issuedAt)!,
          receipt: json(r.body)!,
          jws: r.jws,
        })),
        confirmations: confirmations.map((c) => ({
          tokenHash: c.tokenHash,
          receiptId: c.receiptId ?? null,
          formKey: c.formKey ?? null,
          purposes: json(c.purposes) ?? [],
          language: c.language ?? null,
          requestedAt: iso(c.requestedAt)!,
          mailSentAt: iso(c.mailSentAt),
          confirmedAt: iso(c.confirmedAt),
          expiresAt: iso(c.expiresAt)!,
        })),
        suppressions: suppressions.map((s) => ({
          identifierType: s.identifier_type,
          identifierHash: s.identifier_hash,
          channel: s.channel,
          reason: s.reason,
          source: s.source,
          note: s.note ?? null,
          createdAt: iso(s.created_at),
        })),
      };
    },

    /**
     * Erasure (I1, I2), in one transaction under the ledger lock:
     * - every consent is withdrawn and every legitimate-interest purpose objected to, through the ledger
     *   (evidence `{ erasure: true }`), so the proof says the person left and when;
     * - each identifier hash gets an `erasure` suppression entry on every channel: they are never
     *   contacted again, and a later request under the same address is recognised;
     * - the subject's identifiers, hashes and profile are cleared and `erasedAt` set;
     * - their double opt-in requests, their relationships (contract references, C7) and the rate-limit
     *   counters keyed by their identifier hashes go.
     * Kept: the ledger and receipts (pseudonymous), the subject's pseudonym, the suppression entries.
     * Idempotent: a second request answers the same and writes nothing.
     */
    async erase(lookup: SubjectLookup, by: ErasureBy): Promise<ErasureResult> {
      const purposes = await allPurposes();
      return strapi.db.transaction(async ({ trx, onCommit }) => {
        // Under the lock, so a sign-up running at the same time either lands before (and is erased) or
        // after (and makes a new subject): never half of each.
        await getService('ledger').lock();
        const subject = await findSubject(lookup);
        if (!subject) {
          const erasedAt = await erasedUnder(trx as Knex, lookup);
          if (erasedAt) return { status: 'erased' as const, erasedAt };
          throw new errors.NotFoundError('No person is known under this identifier');
        }
        if (subject.erasedAt) return { status: 'erased' as const, erasedAt: iso(subject.erasedAt)! };

        const at = new Date();
        const { changed } = await getService('opt-out').record(subject.pseudonym, purposes, {
          method: by.method,
          actor: by.actor,
          evidence: ERASURE_EVIDENCE,
        });
        const hashes = hashesOf(subject);
        await getService('suppression').markErased(trx as Knex, hashes, at);
        await getService('confirmations').eraseFor(subject.pseudonym);
        await getService('rate-limits').forgetIdentifiers(
          trx as Knex,
          hashes.map((h) => h.hash)
        );
        // A contract reference (an order or customer number) may identify the person as well as an address.
        const contracts = await getService('relationships').eraseFor(subject.pseudonym);
        await getService('messages').eraseFor(subject.pseudonym, subject.email);
        await getService('subjects').erase(subject.pseudonym, at);

        const identifiers = Object.fromEntries(
          IDENTIFIERS.filter((i) => subject[i.type]).map((i) => [i.type, subject[i.type] as string])
        );
        onCommit(() => {
          strapi.log.info(
            `[consent] erased subject ${subject.pseudonym} (${changed.length} ledger events, ${hashes.length} suppression entries, ${contracts} relationships deleted)`
          );
          // The ledger's webhooks for the withdrawals above carry only the pseudonym (the identifiers are
          // gone by then), so code that must pass the erasure on to other systems (Art. 17(2), 19) hears the
          // identifiers here, once, in process; nothing of it is stored.
          strapi.eventHub.emit(ERASURE_EVENT, {
            subject: { id: subject.pseudonym, ...identifiers },
            erasedAt: at.toISOString(),
          });
        });
        return { status: 'erased' as const, erasedAt: at.toISOString() };
      });
    },
  };
};

export default rights;
export type RightsService = ReturnType<typeof rights>;
