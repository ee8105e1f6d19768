import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { mechanismOf, type LegalBasis, type Sector } from '../../../shared/contracts/domain';
import { directMarketingProblem, isDirectMarketing } from '../domain/direct-marketing';
import type { Purpose, PurposeInput } from '../../../shared/contracts/purposes';
import { UID } from '../constants';
import { ConflictError } from '../errors';
import { onWrite } from '../database/on-write';
import { getService } from '../utils/get-service';
import { iso } from '../utils/row-values';

export interface PurposeRow {
  id: number;
  key: string;
  name: string;
  description: string | null;
  translations: Record<string, { name: string; description?: string }> | null;
  legalBasis: LegalBasis;
  channels: Purpose['channels'];
  audience: Purpose['audience'];
  doubleOptIn: boolean;
  softOptIn: boolean;
  honorGpc: boolean;
  directMarketing: boolean | null;
  balancingTest: string | null;
  sector: Sector | null;
  minimumAge: number | null;
  lifetimeDays: number | null;
  defaultLanguage: string;
  active: boolean;
  archivedAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

const toDto = (row: PurposeRow, used: boolean): Purpose => ({
  key: row.key,
  name: row.name,
  description: row.description ?? '',
  translations: row.translations ?? {},
  legalBasis: row.legalBasis,
  mechanism: mechanismOf(row.legalBasis, isDirectMarketing(row.legalBasis, row.directMarketing)),
  channels: row.channels,
  audience: row.audience,
  doubleOptIn: row.doubleOptIn,
  softOptIn: row.softOptIn,
  honorGpc: row.honorGpc,
  directMarketing: isDirectMarketing(row.legalBasis, row.directMarketing),
  balancingTest: row.balancingTest ?? null,
  sector: row.sector ?? null,
  minimumAge: row.minimumAge ?? null,
  lifetimeDays: row.lifetimeDays ?? null,
  defaultLocale: row.defaultLanguage,
  active: row.active,
  used,
  archivedAt: iso(row.archivedAt),
  createdAt: iso(row.createdAt)!,
  updatedAt: iso(row.updatedAt)!,
});

/** A `directMarketing` that contradicts the legal basis is a 400 naming the field. */
const checkDirectMarketing = (basis: LegalBasis, flag: boolean | undefined) => {
  const problem = directMarketingProblem(basis, flag);
  if (problem) {
    throw new errors.ValidationError(`directMarketing: ${problem}`, {
      errors: [{ path: ['directMarketing'], message: problem }],
    });
  }
};

/** API field → column attribute (the API keeps the spec's `locale` naming). */
const toRow = (input: Partial<PurposeInput>) => {
  const { defaultLocale, ...rest } = input;
  return { ...rest, ...(defaultLocale !== undefined ? { defaultLanguage: defaultLocale } : {}) };
};

/**
 * Purposes: the reasons for processing or contacting a person. Once any ledger event refers to a purpose,
 * its key and legal basis are frozen (a consent is never reused for a changed purpose, A11, and never
 * switched to another basis, D9) and it can only be archived, never deleted.
 */
const purposes = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(UID.purpose);

  const usedKeys = async (keys: string[]): Promise<Set<string>> => {
    if (keys.length === 0) return new Set();
    return getService('ledger').purposesInUse(keys);
  };

  const isUsed = (key: string) => getService('ledger').purposeInUse(key);

  const hasPublishedNotice = (key: string) => getService('notices').hasPublished(key);

  const findRow = async (key: string): Promise<PurposeRow> => {
    const row = await query().findOne({ where: { key } });
    if (!row) throw new errors.NotFoundError(`No purpose with key "${key}"`, { key });
    return row;
  };

  return {
    isUsed,

    /** Calls `listener` after every write of a purpose, in the writer's transaction (the catalogue's stamp). */
    onWrite: (listener: () => Promise<void>) => onWrite(strapi, UID.purpose, listener),

    /** The keys of the active purposes that honour Global Privacy Control (the catalogue's read). */
    async gpcKeys(): Promise<string[]> {
      const rows: { key: string }[] = await query().findMany({
        where: { honorGpc: true, active: true },
        select: ['key'],
      });
      return rows.map((r) => r.key);
    },

    /** The active purposes' keys (`byKey`: in key order, for a page that lists them). */
    async activeKeys(options: { byKey?: boolean } = {}): Promise<string[]> {
      const rows: { key: string }[] = await query().findMany({
        select: ['key'],
        where: { active: true },
        ...(options.byKey ? { orderBy: { key: 'asc' } } : {}),
      });
      return rows.map((r) => r.key);
    },

    /** Every purpose's key, archived ones included (an erasure withdraws them all). */
    async allKeys(): Promise<string[]> {
      const rows: { key: string }[] = await query().findMany({ select: ['key'] });
      return rows.map((r) => r.key);
    },

    /** These columns of one purpose's row as stored, or null (notices: the basis a text is written for). */
    async columnsOf(key: string, columns: string[]) {
      return query().findOne({ select: columns, where: { key } });
    },

    /** These columns of every purpose's row as stored. */
    async columnsOfAll(columns: string[]) {
      return query().findMany({ select: columns });
    },

    /** Every purpose's key and name, by key (the admins' counts per purpose). */
    async namesByKey(): Promise<{ key: string; name: string | null }[]> {
      return query().findMany({ select: ['key', 'name'], orderBy: { key: 'asc' } });
    },

    async list(): Promise<Purpose[]> {
      const rows: PurposeRow[] = await query().findMany({ orderBy: [{ active: 'desc' }, { key: 'asc' }] });
      const used = await usedKeys(rows.map((r) => r.key));
      return rows.map((r) => toDto(r, used.has(r.key)));
    },

    async find(key: string): Promise<Purpose> {
      const row = await findRow(key);
      return toDto(row, await isUsed(key));
    },

    /** Purposes by key, for forms; missing keys are simply absent from the map. */
    async byKeys(keys: string[]): Promise<Map<string, Purpose>> {
      const rows: PurposeRow[] = keys.length ? await query().findMany({ where: { key: { $in: keys } } }) : [];
      return new Map(rows.map((r) => [r.key, toDto(r, false)]));
    },

    /** The names a person reads in mails and pages, in their language where translated, in key order. */
    async namesIn(keys: string[], language: string): Promise<string[]> {
      const purposes = await this.byKeys(keys);
      return keys.map((k) => {
        const p = purposes.get(k);
        return p ? (p.translations[language]?.name ?? p.translations[language.split('-')[0]]?.name ?? p.name) : k;
      });
    },

    async create(input: PurposeInput): Promise<Purpose> {
      return strapi.db.transaction(async () => {
        if (await query().findOne({ where: { key: input.key } })) {
          throw new ConflictError(`A purpose with key "${input.key}" already exists`, { key: input.key });
        }
        checkDirectMarketing(input.legalBasis, input.directMarketing);
        const row = await query().create({
          data: {
            ...toRow(input),
            directMarketing: isDirectMarketing(input.legalBasis, input.directMarketing),
            archivedAt: input.active === false ? new Date() : null,
          },
        });
        return toDto(row, false);
      });
    },

    async update(key: string, patch: Partial<PurposeInput>): Promise<Purpose> {
      return strapi.db.transaction(async () => {
        const row = await findRow(key);
        const used = await isUsed(key);
        const renaming = patch.key !== undefined && patch.key !== key;
        if (renaming && (used || (await hasPublishedNotice(key)))) {
          // A published notice's hash covers the purpose key, and events refer to it: both must stay valid.
          throw new ConflictError(
            `The key of purpose "${key}" cannot change: ${used ? 'consent events refer to it' : 'a notice for it is published'}`,
            { field: 'key' }
          );
        }
        if (patch.legalBasis !== undefined && patch.legalBasis !== row.legalBasis && used) {
          throw new ConflictError(
            `The legal basis of purpose "${key}" cannot change once consents were recorded under it; create a new purpose instead`,
            { field: 'legalBasis' }
          );
        }
        const basis = patch.legalBasis ?? row.legalBasis;
        checkDirectMarketing(basis, patch.directMarketing);
        const directMarketing = isDirectMarketing(
          basis,
          patch.directMarketing ?? (patch.legalBasis ? undefined : row.directMarketing)
        );
        if (
          directMarketing !== isDirectMarketing(row.legalBasis, row.directMarketing) &&
          (used || (await hasPublishedNotice(key)))
        ) {
          // An objection recorded against the purpose, and the objection sentence of its notices, keep their meaning.
          throw new ConflictError(
            `Whether purpose "${key}" is direct marketing cannot change once ${used ? 'consent events refer to it' : 'a notice for it is published'}; create a new purpose instead`,
            { field: 'directMarketing' }
          );
        }
        if (renaming && (await query().findOne({ where: { key: patch.key } }))) {
          throw new ConflictError(`A purpose with key "${patch.key}" already exists`, { field: 'key' });
        }
        const archivedAt =
          patch.active === false && row.active ? new Date() : patch.active === true ? null : row.archivedAt;
        const updated = await query().update({
          where: { id: row.id },
          data: { ...toRow(patch), directMarketing, archivedAt },
        });
        if (renaming) await renameReferences(key, patch.key!);
        return toDto(updated, used);
      });
    },

    /** Deletes a purpose never used nor published, with its drafts; any other can only be archived (`active: false`). */
    async remove(key: string): Promise<void> {
      await strapi.db.transaction(async () => {
        const row = await findRow(key);
        if (await isUsed(key)) {
          throw new ConflictError(`Purpose "${key}" has consent events and cannot be deleted; archive it instead`, {
            key,
          });
        }
        if (await hasPublishedNotice(key)) {
          throw new ConflictError(
            `Purpose "${key}" has published notices, which are kept as proof; archive it instead`,
            {
              key,
            }
          );
        }
        const forms = await getService('forms').offering(key);
        if (forms.length) {
          throw new ConflictError(`Purpose "${key}" is offered by forms; remove it from them first`, { forms });
        }
        await getService('notices').removeDraftsOf(key);
        await query().delete({ where: { id: row.id } });
      });
    },
  };

  /** A purpose with no event and no published notice may be renamed; its drafts and forms follow. */
  async function renameReferences(from: string, to: string) {
    await getService('notices').renamePurpose(from, to);
    await getService('forms').renamePurpose(from, to);
  }
};

export default purposes;
export type PurposesService = ReturnType<typeof purposes>;
