import type { Core } from '@strapi/strapi';
import type { Receipt } from '../../../shared/contracts/submissions';
import { PLUGIN_ID, TABLE, UID } from '../constants';
import { documentIds } from '../database/document-id';
import type { TableWrite } from '../database/write-all';
import { deriveSigningKey, signCompact, signCompactJson, type PublicJwk, type SigningKey } from '../domain/jws';
import { getService } from '../utils/get-service';

const STORE_KEY = 'receipt-public-keys';

/**
 * Receipt signing. The current key comes from the plugin secret; every public key ever used is kept in
 * Strapi's core store and published at /api/consent/jwks.json, so receipts signed before a secret
 * rotation stay verifiable by anyone, without the plugin. New receipts are signed with the current secret's
 * key only; a retired key's public half is never removed from the set.
 */
const receipts = ({ strapi }: { strapi: Core.Strapi }) => {
  let key: SigningKey | undefined;
  const receiptDocumentId = documentIds(strapi, UID.receipt);
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });

  return {
    /** Derives the key and records its public half (bootstrap, after the secret is loaded). */
    async load() {
      const [current, ...previous] = getService('secrets').all().map(deriveSigningKey);
      key = current;
      const known = ((await store().get({ key: STORE_KEY })) as PublicJwk[] | null) ?? [];
      // The previous secrets' keys too: receipts they signed verify even when the store never saw them
      // (a database restored from before their first boot, or a secret only ever set on another instance).
      const missing = [current, ...previous]
        .map((k) => k.publicJwk)
        .filter((jwk) => !known.some((k) => k.kid === jwk.kid));
      if (missing.length) await store().set({ key: STORE_KEY, value: [...missing, ...known] });
    },

    /** A person's receipts as stored, oldest first (the person's export, H1). */
    async ofSubject(subject: string): Promise<Record<string, unknown>[]> {
      return strapi.db.query(UID.receipt).findMany({ where: { subject }, orderBy: { issuedAt: 'asc' } });
    },

    /** The JWS of each of these receipts, by receipt id; no query for none (the ledger export, J1). */
    async jwsOf(receiptIds: string[]): Promise<{ receiptId: string; jws: string }[]> {
      return receiptIds.length
        ? strapi.db
            .query(UID.receipt)
            .findMany({ select: ['receiptId', 'jws'], where: { receiptId: { $in: receiptIds } } })
        : [];
    },

    /** The JWS of each of these receipts by receipt id, read with knex (the compliance report's sample, R1). */
    async jwsById(receiptIds: string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      if (receiptIds.length) {
        for (const r of await strapi.db
          .connection(TABLE.receipt)
          .select('receipt_id', 'jws')
          .whereIn('receipt_id', receiptIds))
          out.set(r.receipt_id, r.jws);
      }
      return out;
    },

    /** The JWK set: the current key first, then earlier ones. */
    async jwks(): Promise<{ keys: PublicJwk[] }> {
      const known = ((await store().get({ key: STORE_KEY })) as PublicJwk[] | null) ?? [];
      const current = key ? [key.publicJwk] : [];
      return { keys: [...current, ...known.filter((k) => k.kid !== key?.publicJwk.kid)] };
    },

    /** A receipt as JWS compact serialisation, EdDSA, `typ: consent-receipt+jwt`. */
    sign(receipt: Record<string, unknown>): string {
      if (!key) throw new Error('[consent] receipts are signed before the plugin bootstrap loaded the key');
      return signCompact(receipt, key, 'consent-receipt+jwt');
    },

    /**
     * I5: deletes these receipts, inside the caller's transaction: the ledger calls it for receipts no
     * event names any more once their events were pruned at the end of the proof period.
     */
    async forget(receiptIds: string[], trx: unknown): Promise<number> {
      if (receiptIds.length === 0) return 0;
      return Number(
        await strapi.db
          .connection(TABLE.receipt)
          .transacting(trx as never)
          .whereIn('receipt_id', receiptIds)
          .del()
      );
    },

    /**
     * Another statement of the plugin under the same key and JWK set (a prune seal, I5; a compliance report),
     * with its own `typ`, so it never passes for a receipt. A string is the payload's JSON text, signed as it
     * is: a caller that stores the text signs exactly what it stores, without serialising twice.
     */
    signAs(payload: Record<string, unknown> | string, typ: string): string {
      if (!key) throw new Error('[consent] a statement is signed before the plugin bootstrap loaded the key');
      return typeof payload === 'string' ? signCompactJson(payload, key, typ) : signCompact(payload, key, typ);
    },

    /**
     * Signs receipts; `writes` keeps them, to be run inside the caller's transaction with the events they
     * cover (knex rather than the query engine, which would read each row back).
     */
    signMany(list: Array<{ receipt: Receipt; formKey: string | null }>): {
      signed: Array<Receipt & { jws: string }>;
      writes: TableWrite[];
    } {
      const signed = list.map(({ receipt }) => ({
        ...receipt,
        jws: this.sign(receipt as unknown as Record<string, unknown>),
      }));
      const now = new Date();
      const rows = signed.map((receipt, i) => ({
        document_id: receiptDocumentId(),
        receipt_id: receipt.receiptId,
        subject: receipt.piiPrincipalId,
        form_key: list[i].formKey,
        issued_at: new Date(receipt.issuedAt),
        body: JSON.stringify(list[i].receipt),
        jws: receipt.jws,
        created_at: now,
        updated_at: now,
        published_at: now,
      }));
      return { signed, writes: [{ table: TABLE.receipt, insert: rows }] };
    },
  };
};

export default receipts;
export type ReceiptsService = ReturnType<typeof receipts>;
