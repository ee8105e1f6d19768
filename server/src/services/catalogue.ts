import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Purpose } from '../../../shared/contracts/purposes';
import { needsReconsent, outdatedNotices } from '../domain/reconsent';
import type { FormRow } from './forms';
import { getService } from '../utils/get-service';

/** A notice version as a submission is checked against it (published or retired; drafts are never shown). */
export interface NoticeVersionRow {
  id: number;
  purpose: string;
  language: string;
  version: number;
  status: 'published' | 'retired';
  material: boolean;
  contentHash: string;
  dataCategories: string[] | null;
  recipients: string[] | null;
}

interface Snapshot {
  stamp: string;
  forms: Map<string, FormRow>;
  purposes: Map<string, Purpose>;
  notices: Map<string, NoticeVersionRow[]>;
  /** Per purpose: the notice versions a material change has outdated (A11, domain/reconsent.ts). */
  outdated: Map<string, Set<number>>;
  gpc?: Purpose[];
}

/**
 * What the editors define and every submission is checked against: forms, purposes and notice versions.
 * Read from memory instead of three queries per submission, and trusted only while the catalogue stamp
 * they were read under is current. The stamp is a random value that every write to those tables, by any
 * Strapi path, replaces in the same transaction (query-engine lifecycles), so an edit made on any instance
 * is seen by every instance at its next submission. One primary-key read per submission checks it.
 */
// The catalogue reads through the owners of forms, purposes and notices; it needs no handle of its own.
const catalogue = (_: { strapi: Core.Strapi }) => {
  let snapshot: Snapshot | null = null;

  const newStamp = () => randomBytes(16).toString('hex');

  /** The current snapshot. The stamp is read before anything is cached under it, never after. */
  const current = async (): Promise<Snapshot> => {
    const stamp = await getService('ledger').catalogueStamp.read();
    if (snapshot?.stamp !== stamp)
      snapshot = { stamp, forms: new Map(), purposes: new Map(), notices: new Map(), outdated: new Map() };
    return snapshot;
  };

  const bump = async () => {
    snapshot = null;
    // Joins the writer's transaction when there is one, so the stamp changes exactly when the data does.
    await getService('ledger').catalogueStamp.replace(newStamp());
  };

  /**
   * One consistent view for one submission: `form`, `purposes`, `notices` and `gpcPurposes` answer from
   * memory once read, until the stamp changes.
   */
  const view = async () => {
    const s = await current();
    const v = {
      /**
       * The active form with this key, or null. Only forms found are kept: a public route must not let
       * anyone grow this cache by asking for keys that do not exist.
       */
      async form(key: string): Promise<FormRow | null> {
        if (s.forms.has(key)) return s.forms.get(key)!;
        const row = await getService('forms').activeRow(key);
        if (row) s.forms.set(key, row);
        return row;
      },

      /** Purposes by key (archived ones included); unknown keys are absent from the map (and not kept). */
      async purposes(keys: string[]): Promise<Map<string, Purpose>> {
        const missing = keys.filter((k) => !s.purposes.has(k));
        if (missing.length) {
          for (const [k, purpose] of await getService('purposes').byKeys(missing)) s.purposes.set(k, purpose);
        }
        return new Map(keys.flatMap((k) => (s.purposes.has(k) ? [[k, s.purposes.get(k)!] as const] : [])));
      },

      /** Every published or retired version of these purposes' notices, newest first. */
      async notices(keys: string[]): Promise<NoticeVersionRow[]> {
        const missing = keys.filter((k) => !s.notices.has(k));
        if (missing.length) {
          const rows = await getService('notices').versionsOf(missing);
          for (const k of missing)
            s.notices.set(
              k,
              rows.filter((r) => r.purpose === k)
            );
        }
        return keys.flatMap((k) => s.notices.get(k)!);
      },

      /**
       * The notice versions of these purposes that a later material version outdated (A11): a state
       * whose notice is among them needs re-consent. Computed once per purpose per stamp, so a check
       * costs a set lookup.
       */
      async outdatedNotices(keys: string[]): Promise<ReadonlySet<number>> {
        const missing = [...new Set(keys)].filter((k) => !s.outdated.has(k));
        if (missing.length) {
          const rows = await v.notices(missing);
          for (const k of missing) s.outdated.set(k, outdatedNotices(rows.filter((r) => r.purpose === k)));
        }
        if (keys.length === 1) return s.outdated.get(keys[0])!;
        return new Set(keys.flatMap((k) => [...s.outdated.get(k)!]));
      },

      /** The active purposes that honour Global Privacy Control. */
      async gpcPurposes(): Promise<Purpose[]> {
        if (!s.gpc) {
          s.gpc = [...(await getService('purposes').byKeys(await getService('purposes').gpcKeys())).values()];
        }
        return s.gpc;
      },
    };
    return v;
  };

  return {
    /** Subscribes to every write of forms, purposes and notices, through their owners. */
    register() {
      for (const owner of ['forms', 'purposes', 'notices'] as const) getService(owner).onWrite(bump);
    },

    /** Creates the stamp row once (at boot). */
    ensureStamp: () => getService('ledger').catalogueStamp.ensure(newStamp()),

    view,

    /** `view().outdatedNotices` as a test of state rows: whether each needs re-consent (A11). */
    async reconsent(purposes: string[]): Promise<(state: { noticeId?: number | string | null }) => boolean> {
      const outdated = purposes.length ? await (await view()).outdatedNotices(purposes) : new Set<number>();
      return (state) => needsReconsent(state.noticeId, outdated);
    },
  };
};

export default catalogue;
export type CatalogueView = Awaited<ReturnType<ReturnType<typeof catalogue>['view']>>;
export type CatalogueService = ReturnType<typeof catalogue>;
