import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { LegalBasis, NoticeStatus } from '../../../shared/contracts/domain';
import type { Notice, NoticeInput } from '../../../shared/contracts/notices';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, UID } from '../constants';
import { missingInformation } from '../domain/a7-checklist';
import { noticeHash, noticeText, type NoticeFields } from '../domain/notice-text';
import { withdrawalTextFor } from '../domain/withdrawal-text';
import { isDirectMarketing } from '../domain/direct-marketing';
import { outdatedNotices } from '../domain/reconsent';
import { ConflictError, fieldErrors } from '../errors';
import { onWrite } from '../database/on-write';
import { getService } from '../utils/get-service';
import { iso } from '../utils/row-values';
import type { NoticeVersionRow } from './catalogue';

interface NoticeRow extends NoticeFields {
  id: number;
  status: NoticeStatus;
  material: boolean;
  contentHash: string | null;
  effectiveAt: string | Date | null;
  retiredAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

/** API field → column attribute (`locale` is reserved by Strapi's i18n on every table). */
const toRow = (input: Partial<NoticeInput>) => {
  const { locale, ...rest } = input;
  return { ...rest, ...(locale !== undefined ? { language: locale } : {}) };
};

/**
 * Notices: the versioned texts behind each purpose, per language. draft → published → retired.
 * Publishing fixes the content hash and retires the previous version; after a material change, consents
 * given under older versions of that language need re-consent (A11), which readers derive from the
 * versions (domain/reconsent.ts): publishing writes no consent state. Published and retired versions never
 * change and are never deleted (A9; database/notice-guard.ts enforces it on every Strapi path).
 */
/** What a notice needs to know of its purpose: the basis, whether it sells, and the balancing test (C3). */
interface PurposeBasis {
  legalBasis: LegalBasis;
  directMarketing: boolean;
  balancingTest: string | null;
}
const PURPOSE_BASIS = ['legalBasis', 'directMarketing', 'balancingTest'];
const toBasis = (row: {
  legalBasis: LegalBasis;
  directMarketing?: boolean | null;
  balancingTest?: string | null;
}): PurposeBasis => ({
  legalBasis: row.legalBasis,
  directMarketing: isDirectMarketing(row.legalBasis, row.directMarketing),
  balancingTest: row.balancingTest ?? null,
});

const notices = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(UID.notice);
  const controller = () => (strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig).controller;

  const basisOf = async (purpose: string): Promise<PurposeBasis> => {
    const row = await getService('purposes').columnsOf(purpose, PURPOSE_BASIS);
    if (!row)
      throw new errors.ValidationError(
        `purpose: no purpose with key "${purpose}"`,
        fieldErrors([{ path: 'purpose', message: `no purpose with key "${purpose}"` }])
      );
    return toBasis(row);
  };

  const toDto = (row: NoticeRow, purpose: PurposeBasis): Notice => ({
    id: row.id,
    purpose: row.purpose,
    locale: row.language,
    version: row.version,
    status: row.status,
    title: row.title,
    body: row.body,
    dataCategories: row.dataCategories ?? [],
    recipients: row.recipients ?? [],
    privacyPolicyUrl: row.privacyPolicyUrl ?? '',
    withdrawalText: row.withdrawalText ?? '',
    withdrawal: withdrawalTextFor(row, purpose.legalBasis, purpose.directMarketing),
    material: row.material,
    hash: row.contentHash,
    effectiveAt: iso(row.effectiveAt),
    retiredAt: iso(row.retiredAt),
    missing: row.status === 'draft' ? missingInformation(row, purpose.legalBasis, controller(), purpose) : [],
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  });

  const findRow = async (id: number): Promise<NoticeRow> => {
    const row = await query().findOne({ where: { id } });
    if (!row) throw new errors.NotFoundError(`No notice with id ${id}`, { id });
    return row;
  };

  const requireDraft = (row: NoticeRow) => {
    if (row.status !== 'draft') {
      throw new ConflictError(
        `Notice ${row.id} (version ${row.version}) is ${row.status} and can never change; create a new version instead`,
        { id: row.id, status: row.status }
      );
    }
  };

  return {
    /** The controller every notice names (A7), as configured. */
    controller: () => {
      const { name, address, contact } = controller();
      return { name, address, contact };
    },

    /** The canonical content and its hash, for code that renders or checks a notice. */
    text: (notice: NoticeFields, basis: LegalBasis, directMarketing = false) =>
      noticeText(notice, basis, controller(), directMarketing),
    contentHash: (notice: NoticeFields, basis: LegalBasis, directMarketing = false) =>
      noticeHash(notice, basis, controller(), directMarketing),

    async list(filter: { purpose?: string; locale?: string } = {}): Promise<Notice[]> {
      const rows: NoticeRow[] = await query().findMany({
        where: {
          ...(filter.purpose ? { purpose: filter.purpose } : {}),
          ...(filter.locale ? { language: filter.locale } : {}),
        },
        orderBy: [{ purpose: 'asc' }, { language: 'asc' }, { version: 'desc' }],
      });
      const bases = new Map<string, PurposeBasis>();
      for (const p of await getService('purposes').columnsOfAll(['key', ...PURPOSE_BASIS])) {
        bases.set(p.key, toBasis(p));
      }
      return rows.map((r) => toDto(r, bases.get(r.purpose) ?? toBasis({ legalBasis: 'consent' })));
    },

    async find(id: number): Promise<Notice> {
      const row = await findRow(id);
      return toDto(row, await basisOf(row.purpose));
    },

    /** Calls `listener` after every write of a notice, in the writer's transaction (the catalogue's stamp). */
    onWrite: (listener: () => Promise<void>) => onWrite(strapi, UID.notice, listener),

    /** Every published or retired version of these purposes' notices, newest first (the catalogue's read). */
    async versionsOf(purposes: string[]): Promise<NoticeVersionRow[]> {
      return query().findMany({
        where: { purpose: { $in: purposes }, status: { $ne: 'draft' } },
        orderBy: { version: 'desc' },
      });
    },

    /** The purpose and language of every published version of these purposes (forms: what is in force). */
    async publishedLanguagesOf(purposes: string[]): Promise<{ purpose: string; language: string }[]> {
      return query().findMany({
        select: ['purpose', 'language'],
        where: { purpose: { $in: purposes }, status: 'published' },
      });
    },

    /** The title of each of these versions, by id (absent when the row is gone). */
    async titlesOf(ids: number[]): Promise<{ id: number; title: string }[]> {
      return ids.length ? query().findMany({ select: ['id', 'title'], where: { id: { $in: ids } } }) : [];
    },

    /** The language and content hash of these versions (what a renewed grant's event cites, I4). */
    async textHashesOf(ids: number[]): Promise<{ id: number; language: string; contentHash: string | null }[]> {
      return query().findMany({ select: ['id', 'language', 'contentHash'], where: { id: { $in: ids } } });
    },

    /** The versions with these ids as stored, in no set order; no query for none. */
    async withIds(ids: number[]): Promise<any[]> {
      return ids.length ? query().findMany({ where: { id: { $in: ids } } }) : [];
    },

    /** The versions with these content hashes as stored (what an import's proof may cite); no query for none. */
    async withContentHashes(hashes: string[]): Promise<any[]> {
      return hashes.length ? query().findMany({ where: { contentHash: { $in: hashes } } }) : [];
    },

    /** These columns of every published or retired version of these purposes, by language then version. */
    async versionsByLanguage(purposes: string[], select: string[]): Promise<any[]> {
      return query().findMany({
        select,
        where: { purpose: { $in: purposes }, status: { $ne: 'draft' } },
        orderBy: [{ language: 'asc' }, { version: 'asc' }],
      });
    },

    /** The purpose, data categories and recipients of every published version (the record of processing). */
    async publishedCategories(): Promise<{ purpose: string; dataCategories: unknown; recipients: unknown }[]> {
      return query().findMany({ select: ['purpose', 'dataCategories', 'recipients'], where: { status: 'published' } });
    },

    /** These versions as stored, by id (the person's export: the exact texts shown, H1). */
    async byIds(ids: number[]): Promise<Record<string, unknown>[]> {
      return ids.length ? query().findMany({ where: { id: { $in: ids } }, orderBy: { id: 'asc' } }) : [];
    },

    /** Whether a purpose has a published or retired version, kept as proof (purposes.remove refuses). */
    async hasPublished(purpose: string): Promise<boolean> {
      return (await query().count({ where: { purpose, status: { $ne: 'draft' } } })) > 0;
    },

    /** A removed purpose's drafts go with it (purposes.remove, in its transaction). */
    async removeDraftsOf(purpose: string): Promise<void> {
      await query().deleteMany({ where: { purpose, status: 'draft' } });
    },

    /** A renamed purpose's notices follow it (purposes.update; only drafts exist then, nothing published). */
    async renamePurpose(from: string, to: string): Promise<void> {
      await query().updateMany({ where: { purpose: from }, data: { purpose: to } });
    },

    /** The published version of a purpose's notice in one language, if any. */
    async current(purpose: string, language: string): Promise<NoticeRow | null> {
      return query().findOne({ where: { purpose, language, status: 'published' } });
    },

    async createDraft(input: NoticeInput): Promise<Notice> {
      const basis = await basisOf(input.purpose);
      return strapi.db.transaction(async () => {
        const existing = await query().findOne({
          select: ['id'],
          where: { purpose: input.purpose, language: input.locale, status: 'draft' },
        });
        if (existing) {
          throw new ConflictError(
            `A draft of the "${input.purpose}" notice in "${input.locale}" already exists (id ${existing.id}); edit it instead`,
            { draftId: existing.id }
          );
        }
        const latest = await query().findOne({
          select: ['version'],
          where: { purpose: input.purpose, language: input.locale },
          orderBy: { version: 'desc' },
        });
        // The unique index on (purpose, language, version) turns a concurrent duplicate into an error.
        const row = await query().create({
          data: {
            body: '',
            ...toRow(input),
            version: (latest?.version ?? 0) + 1,
            status: 'draft',
            material: !!input.material,
          },
        });
        return toDto(row, basis);
      });
    },

    async updateDraft(id: number, patch: Partial<NoticeInput>): Promise<Notice> {
      return strapi.db.transaction(async () => {
        const row = await findRow(id);
        requireDraft(row);
        const updated = await query().update({ where: { id }, data: toRow(patch) });
        return toDto(updated, await basisOf(row.purpose));
      });
    },

    async removeDraft(id: number): Promise<void> {
      await strapi.db.transaction(async () => {
        const row = await findRow(id);
        requireDraft(row);
        await query().delete({ where: { id } });
      });
    },

    async publish(id: number): Promise<Notice & { reconsentMarked: number }> {
      return strapi.db.transaction(async () => {
        const row = await findRow(id);
        requireDraft(row);
        const purpose = await basisOf(row.purpose);
        const missing = missingInformation(row, purpose.legalBasis, controller(), purpose);
        if (missing.length) {
          throw new errors.ValidationError(
            `The notice cannot be published: missing ${missing.join(', ')} (A7)`,
            fieldErrors(
              missing.map((field) => ({ path: field, message: 'is required to publish (A7)' })),
              { missing }
            )
          );
        }
        const now = new Date();
        const previous: NoticeRow[] = await query().findMany({
          select: ['id', 'language', 'version', 'material'],
          where: { purpose: row.purpose, language: row.language, status: { $ne: 'draft' }, id: { $ne: id } },
        });
        await query().updateMany({
          where: { purpose: row.purpose, language: row.language, status: 'published' },
          data: { status: 'retired', retiredAt: now },
        });
        const published = await query().update({
          where: { id },
          data: {
            status: 'published',
            contentHash: noticeHash(row, purpose.legalBasis, controller(), purpose.directMarketing),
            effectiveAt: now,
          },
        });
        // Nothing is written to the states: re-consent is derived from the notices on every read (A11,
        // domain/reconsent.ts), so they stay a replay of the ledger. The answer still says how many
        // consents this version leaves needing re-consent that did not already.
        let reconsentMarked = 0;
        if (row.material && previous.length) {
          const before = outdatedNotices(previous);
          const newly = [...outdatedNotices([...previous, row])].filter((noticeId) => !before.has(noticeId));
          if (newly.length) {
            reconsentMarked = await getService('ledger').countStatesUnder(row.purpose, newly);
          }
        }
        return { ...toDto(published, purpose), reconsentMarked };
      });
    },
  };
};

export default notices;
export type NoticesService = ReturnType<typeof notices>;
export type { NoticeRow };
