import type { Core } from '@strapi/strapi';
import { channelBoxes as boxesOf } from '../domain/channel-labels';
import { noticeOffer, type NoticeOffer } from '../domain/notice-offer';
import { formAgeThreshold } from '../domain/children-rules';
import { errors } from '@strapi/utils';
import type { Form, FormInput, GetPublicForm, PreviewForm, PublicPurpose } from '../../../shared/contracts/forms';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, UID } from '../constants';
import { onWrite } from '../database/on-write';
import { ConflictError } from '../errors';
import { getService } from '../utils/get-service';

export interface FormRow {
  id: number;
  key: string;
  name: string;
  purposes: string[];
  doubleOptIn: boolean;
  audience: 'consumer' | 'professional' | null;
  jurisdiction: Form['jurisdiction'];
  allowedOrigins: string[] | null;
  successUrl: string | null;
  privacyPolicyUrl: string | null;
  offeredToChildren: boolean | null;
  childrenCountry: string | null;
  active: boolean;
  createdAt: string | Date;
  updatedAt: string | Date;
}

const toDto = (row: FormRow): Form => ({
  key: row.key,
  name: row.name,
  purposes: row.purposes,
  doubleOptIn: row.doubleOptIn,
  audience: row.audience ?? null,
  jurisdiction: row.jurisdiction ?? null,
  allowedOrigins: row.allowedOrigins ?? [],
  successUrl: row.successUrl ?? null,
  privacyPolicyUrl: row.privacyPolicyUrl ?? null,
  offeredToChildren: !!row.offeredToChildren,
  childrenCountry: row.childrenCountry ?? null,
  active: row.active,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

/**
 * Forms: collection points. A form offers purposes, each as its own optional box that is never pre-ticked
 * (A2, A4, A6): the model has no field that could say otherwise, and the public definition always sends
 * `defaultChecked: false`.
 */
const forms = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(UID.form);

  const findRow = async (key: string): Promise<FormRow> => {
    const row = await query().findOne({ where: { key } });
    if (!row) throw new errors.NotFoundError(`No form with key "${key}"`, { key });
    return row;
  };

  /** Every purpose a form offers must exist and be active; the error names each offending entry. */
  const checkPurposes = async (keys: string[]) => {
    const known = await getService('purposes').byKeys(keys);
    const problems = keys.flatMap((key, i) => {
      const purpose = known.get(key);
      if (!purpose) return [{ path: ['purposes', String(i)], message: `purposes[${i}]: no purpose with key "${key}"` }];
      if (!purpose.active)
        return [{ path: ['purposes', String(i)], message: `purposes[${i}]: purpose "${key}" is archived` }];
      return [];
    });
    if (problems.length) throw new errors.ValidationError(problems[0].message, { errors: problems });
  };

  /** The languages each purpose has a notice in force in: the evidence `noticeOffer` decides on. */
  const publishedLanguages = async (keys: string[]): Promise<Map<string, string[]>> => {
    const out = new Map<string, string[]>(keys.map((k) => [k, []]));
    if (!keys.length) return out;
    const rows = await getService('notices').publishedLanguagesOf(keys);
    for (const row of rows) out.get(row.purpose)?.push(row.language);
    return out;
  };

  // The languages the plugin ships texts for; an editor checks a form in each of them.
  const SHIPPED_LANGUAGES = ['en', 'de', 'fr'];

  return {
    async list(): Promise<Form[]> {
      return (await query().findMany({ orderBy: { key: 'asc' } })).map(toDto);
    },

    /** Calls `listener` after every write of a form, in the writer's transaction (the catalogue's stamp). */
    onWrite: (listener: () => Promise<void>) => onWrite(strapi, UID.form, listener),

    /** The active form with this key as stored, or null: what a submission is checked against (catalogue). */
    async activeRow(key: string): Promise<FormRow | null> {
      return query().findOne({ where: { key, active: true } });
    },

    /** The keys of the forms that offer this purpose (purposes.remove refuses while any does). */
    async offering(purpose: string): Promise<string[]> {
      const rows: { key: string; purposes: string[] }[] = await query().findMany({ select: ['key', 'purposes'] });
      return rows.filter((f) => f.purposes.includes(purpose)).map((f) => f.key);
    },

    /** A renamed purpose follows in every form that offers it (purposes.update, in its transaction). */
    async renamePurpose(from: string, to: string): Promise<void> {
      const rows: { id: number; purposes: string[] }[] = await query().findMany({ select: ['id', 'purposes'] });
      for (const form of rows) {
        if (!form.purposes.includes(from)) continue;
        await query().update({
          where: { id: form.id },
          data: { purposes: form.purposes.map((p) => (p === from ? to : p)) },
        });
      }
    },

    /** Whether each of these forms asks for double opt-in, by key (a key no form has is left out). */
    async doubleOptInOf(keys: string[]): Promise<Map<string, boolean>> {
      if (keys.length === 0) return new Map();
      const rows: { key: string; doubleOptIn: boolean }[] = await query().findMany({
        select: ['key', 'doubleOptIn'],
        where: { key: { $in: keys } },
      });
      return new Map(rows.map((f) => [f.key, !!f.doubleOptIn]));
    },

    /** Where a plain HTML form post is sent after it was recorded (null: show the plugin's own page). */
    async successUrl(key: string): Promise<string | null> {
      return (await query().findOne({ where: { key }, select: ['successUrl'] }))?.successUrl ?? null;
    },

    async find(key: string): Promise<Form> {
      return toDto(await findRow(key));
    },

    async create(input: FormInput): Promise<Form> {
      await checkPurposes(input.purposes);
      return strapi.db.transaction(async () => {
        if (await query().findOne({ where: { key: input.key } })) {
          throw new ConflictError(`A form with key "${input.key}" already exists`, { field: 'key' });
        }
        return toDto(await query().create({ data: input }));
      });
    },

    async update(key: string, patch: Partial<FormInput>): Promise<Form> {
      if (patch.purposes) await checkPurposes(patch.purposes);
      return strapi.db.transaction(async () => {
        const row = await findRow(key);
        if (patch.key && patch.key !== key && (await query().findOne({ where: { key: patch.key } }))) {
          throw new ConflictError(`A form with key "${patch.key}" already exists`, { field: 'key' });
        }
        return toDto(await query().update({ where: { id: row.id }, data: patch }));
      });
    },

    async remove(key: string): Promise<void> {
      const row = await findRow(key);
      // Events keep the form key as text, so proof stays readable after a form is deleted.
      await query().delete({ where: { id: row.id } });
    },

    /**
     * The public definition of an active form: each active purpose with its current published notice in
     * the asked locale, else in the purpose's default locale (`localeFallback: true`). A purpose without
     * any published notice is left out: nobody can be asked to consent without being informed (A7).
     */
    async definition(key: string, locale: string | undefined): Promise<GetPublicForm.Response['data']> {
      const row = await query().findOne({ where: { key, active: true } });
      if (!row) throw new errors.NotFoundError(`No active form with key "${key}"`, { key });
      return this.render(row, locale);
    },

    /** The public definition of a form, saved or not (the admin's live preview renders unsaved edits). */
    async render(
      row: Pick<FormRow, 'key' | 'name' | 'purposes' | 'doubleOptIn' | 'privacyPolicyUrl'> &
        Partial<Pick<FormRow, 'offeredToChildren' | 'childrenCountry' | 'jurisdiction'>>,
      locale: string | undefined
    ): Promise<GetPublicForm.Response['data']> {
      const purposes = await getService('purposes').byKeys(row.purposes);
      const noticeService = getService('notices');
      const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
      const asked = locale ?? 'en';

      const published = await publishedLanguages(row.purposes);

      const items: PublicPurpose[] = [];
      for (const purposeKey of row.purposes) {
        const purpose = purposes.get(purposeKey);
        const offer = noticeOffer(purpose, asked, published.get(purposeKey) ?? []);
        if (!purpose || !offer.offered) continue;
        const notice = await noticeService.current(purposeKey, offer.noticeLanguage);
        // Retired between the two reads: the next request sees the new version.
        if (!notice) continue;
        const translated = purpose.translations[asked] ?? purpose.translations[asked.split('-')[0]];
        const text = noticeService.text(notice, purpose.legalBasis, purpose.directMarketing);
        items.push({
          key: purpose.key,
          name: translated?.name ?? purpose.name,
          description: translated?.description ?? purpose.description,
          legalBasis: purpose.legalBasis,
          mechanism: purpose.mechanism,
          channels: purpose.channels,
          // One box per channel, each recorded on its own (A4, B5, N16).
          ...(boxesOf(purpose, asked) ? { boxes: boxesOf(purpose, asked) } : {}),
          minimumAge: purpose.minimumAge,
          defaultChecked: false,
          notice: {
            id: notice.id,
            version: notice.version,
            hash: notice.contentHash!,
            locale: notice.language,
            title: text.title,
            body: text.body,
            withdrawal: text.withdrawal ?? '',
            dataCategories: text.dataCategories,
            recipients: text.recipients,
            privacyPolicyUrl: text.privacyPolicyUrl ?? '',
          },
          localeFallback: notice.language !== asked,
        });
      }
      return {
        key: row.key,
        name: row.name,
        locale: asked,
        doubleOptIn: row.doubleOptIn,
        privacyPolicyUrl: row.privacyPolicyUrl ?? null,
        controller: config.controller,
        // G1: asked before the choices; the threshold tells the front end when to ask for a parent's address.
        ...(row.offeredToChildren
          ? {
              ageQuestion: formAgeThreshold(row, {
                jurisdiction: config.jurisdiction,
                thresholds: config.children.thresholds,
                defaultAge: config.children.defaultAge,
              }),
            }
          : {}),
        purposes: items,
      };
    },

    /**
     * The admin's preview: the public definition, plus, per purpose and language, whether the purpose is
     * offered and why not (a purpose must never vanish from a language without the editor being told).
     */
    async preview(
      row: Pick<FormRow, 'key' | 'name' | 'purposes' | 'doubleOptIn' | 'privacyPolicyUrl'> &
        Partial<Pick<FormRow, 'offeredToChildren' | 'childrenCountry' | 'jurisdiction'>>,
      locale: string | undefined
    ): Promise<PreviewForm.Response['data']> {
      const definition = await this.render(row, locale);
      const purposes = await getService('purposes').byKeys(row.purposes);
      const published = await publishedLanguages(row.purposes);
      const languages = new Set([...SHIPPED_LANGUAGES, definition.locale]);
      for (const list of published.values()) list.forEach((l) => languages.add(l));
      for (const p of purposes.values()) languages.add(p.defaultLocale);
      const offers: Record<string, Record<string, NoticeOffer>> = {};
      const defaultLocales: Record<string, string> = {};
      for (const key of row.purposes) {
        const purpose = purposes.get(key);
        if (purpose) defaultLocales[key] = purpose.defaultLocale;
        offers[key] = Object.fromEntries(
          [...languages].sort().map((l) => [l, noticeOffer(purpose, l, published.get(key) ?? [])])
        );
      }
      return { ...definition, offers, defaultLocales };
    },
  };
};

export default forms;
export type FormsService = ReturnType<typeof forms>;
