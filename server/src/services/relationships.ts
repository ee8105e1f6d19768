import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Relationship, UpsertRelationship } from '../../../shared/contracts/relationships';
import { UID } from '../constants';
import { isCurrentContract } from '../domain/contract';
import type { ContractFacts } from '../domain/retention-rules';
import { getService } from '../utils/get-service';

const CHUNK = 500;

interface RelationshipRow {
  subject: string;
  reference: string;
  startedAt: string | Date;
  endedAt: string | Date | null;
}

const toDto = (row: RelationshipRow, now: Date): Relationship => {
  const startedAt = new Date(row.startedAt);
  const endedAt = row.endedAt ? new Date(row.endedAt) : null;
  return {
    subject: row.subject,
    reference: row.reference,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt?.toISOString() ?? null,
    current: isCurrentContract({ startedAt, endedAt }, now),
  };
};

/** What a relationship says of a contract; dates as ISO strings or Dates. */
export interface ContractTerms {
  reference: string;
  startedAt: string | Date;
  endedAt?: string | Date | null;
}

/**
 * Relationships: the contracts the site has with people, the evidence a contract-basis purpose rests on
 * (C7). This service owns `consent_relationships`. A relationship is evidence, not a consent: it is not on
 * the ledger, and sending it again for the same person and reference updates it (a contract that ends).
 */
const relationships = ({ strapi }: { strapi: Core.Strapi }) => {
  /** The one upsert of `consent_relationships`: the same person and reference again updates the row. */
  const write = async (subject: string, contract: ContractTerms, source: string): Promise<RelationshipRow> => {
    const query = strapi.db.query(UID.relationship);
    const data = {
      startedAt: new Date(contract.startedAt),
      endedAt: contract.endedAt ? new Date(contract.endedAt) : null,
      source,
    };
    const existing = await query.findOne({ select: ['id'], where: { subject, reference: contract.reference } });
    return existing
      ? query.update({ where: { id: existing.id }, data })
      : query.create({ data: { ...data, subject, reference: contract.reference } });
  };

  return {
    /** Records or updates one relationship; the person is found or created from the identifiers given. */
    async upsert(body: UpsertRelationship.Request['body'], source: string): Promise<Relationship> {
      return (await this.upsertMany([body], source))[0];
    },

    /**
     * Records or updates relationships in one transaction, all or nothing: a bad identifier anywhere is a
     * 400 naming `relationships.<i>.subject…` and writes nothing. People are found or created in one go.
     */
    async upsertMany(bodies: UpsertRelationship.Request['body'][], source: string): Promise<Relationship[]> {
      const subjects = getService('subjects');
      const identifiers = bodies.map((body, i) => {
        try {
          return subjects.normalise(body.subject, 'subject');
        } catch (error) {
          if (bodies.length === 1 || !(error instanceof errors.ValidationError)) throw error;
          const message = `relationships.${i}.${error.message}`;
          throw new errors.ValidationError(message, {
            errors: [{ path: ['relationships', String(i), 'subject'], message }],
          });
        }
      });
      return strapi.db.transaction(async () => {
        // Finding-then-creating people is safe against other instances under the ledger lock.
        await getService('ledger').lock();
        const people = await subjects.resolveMany(
          bodies.map((body, i) => ({
            identifiers: identifiers[i],
            profile: { audience: body.subject.audience, jurisdiction: body.subject.jurisdiction },
          }))
        );
        const now = new Date();
        const out: Relationship[] = [];
        for (const [i, body] of bodies.entries())
          out.push(toDto(await write(people[i].subject.pseudonym, body, source), now));
        return out;
      });
    },

    /**
     * Records or updates one relationship of a person already resolved, in the caller's transaction: the
     * form hook's, whose route created the contract (an order, a subscription) and whose consent is
     * recorded beside it. The reference and dates are the server's, never a visitor's (C7).
     */
    async recordFor(subject: string, contract: ContractTerms, source: string): Promise<Relationship> {
      return toDto(await write(subject, contract, source), new Date());
    },

    /**
     * Erasure (I1) and the prospect purge (I4): the people's relationships go; their references (an order
     * number) may identify them.
     */
    async eraseFor(subjects: string | string[]): Promise<number> {
      const list = Array.isArray(subjects) ? subjects : [subjects];
      if (list.length === 0) return 0;
      const { count } = await strapi.db.query(UID.relationship).deleteMany({ where: { subject: { $in: list } } });
      return count;
    },

    /** The people among `pseudonyms` who have a current contract at `now`: one query per 500 people. */
    async current(pseudonyms: string[], now: Date): Promise<Set<string>> {
      const out = new Set<string>();
      const unique = [...new Set(pseudonyms)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        // The query engine, not knex: it stores and compares datetimes the same way on every database.
        const rows = await strapi.db.query(UID.relationship).findMany({
          select: ['subject'],
          where: {
            subject: { $in: unique.slice(i, i + CHUNK) },
            startedAt: { $lte: now },
            $or: [{ endedAt: { $null: true } }, { endedAt: { $gt: now } }],
          },
        });
        for (const row of rows as { subject: string }[]) out.add(row.subject);
      }
      return out;
    },

    /**
     * I4 (customer data): for each of `pseudonyms` with any contract, whether one runs at `now` and when the
     * latest one that ended did. One query per 500 people.
     */
    async contractsOf(pseudonyms: string[], now: Date): Promise<Map<string, ContractFacts>> {
      const out = new Map<string, ContractFacts>();
      const unique = [...new Set(pseudonyms)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        const rows: RelationshipRow[] = await strapi.db.query(UID.relationship).findMany({
          select: ['subject', 'startedAt', 'endedAt'],
          where: { subject: { $in: unique.slice(i, i + CHUNK) } },
        });
        for (const row of rows) {
          const startedAt = new Date(row.startedAt);
          const endedAt = row.endedAt ? new Date(row.endedAt) : null;
          const facts = out.get(row.subject) ?? { current: false, endedAt: null };
          if (isCurrentContract({ startedAt, endedAt }, now)) facts.current = true;
          else if (
            endedAt &&
            endedAt.getTime() <= now.getTime() &&
            (facts.endedAt?.getTime() ?? 0) < endedAt.getTime()
          ) {
            facts.endedAt = endedAt;
          }
          out.set(row.subject, facts);
        }
      }
      return out;
    },
  };
};

export default relationships;
export type RelationshipsService = ReturnType<typeof relationships>;
