import type { Channel, ConsentState, Jurisdiction, LegalBasis } from '../../../shared/contracts/domain';
import { mechanismOf } from '../../../shared/contracts/domain';
import type { Receipt, ReceiptDecision } from '../../../shared/contracts/submissions';

export const RECEIPT_SCHEMA_VERSION = 'iso27560:2023;strapi-plugin-consent:1';

/** The exact notice a decision was made under (A9), as verified against the published versions. */
export interface VerifiedNotice {
  id: number;
  version: number;
  hash: string;
  language: string;
  dataCategories: string[];
  recipients: string[];
}

export interface ReceiptPurpose {
  key: string;
  name: string;
  legalBasis: LegalBasis;
  /** A contract purpose that sells is objected to like legitimate interest (direct-marketing.ts). */
  directMarketing?: boolean;
  channels: Channel[];
  lifetimeDays: number | null;
  decision: ReceiptDecision;
  state: ConsentState;
  method: 'form' | 'signal' | null;
  notice: VerifiedNotice | null;
}

export interface ReceiptInput {
  receiptId: string;
  issuedAt: Date;
  issuer: string;
  jurisdiction: Jurisdiction;
  language: string;
  pseudonym: string;
  controller: { name: string; address: string; contact: string };
  policyUrl: string | null;
  collectionMethod: Receipt['collectionMethod'];
  form: string;
  pageUrl: string | null;
  withdrawalMethod: string;
  purposes: ReceiptPurpose[];
  eventIds: string[];
}

/**
 * The receipt of one collection act: what was offered, what the person decided, under which exact notice.
 * Field names follow Kantara CR 1.1 where it has one (`consentReceiptID` is `receiptId` here, as in
 * ISO/IEC TS 27560) plus the JWT claims `iss`, `sub`, `iat` and `jti`. It identifies the person by pseudonym
 * only, so a receipt never has to be erased.
 */
export const buildReceipt = (input: ReceiptInput): Receipt => ({
  version: 'KI-CR-v1.1.0',
  schemaVersion: RECEIPT_SCHEMA_VERSION,
  receiptId: input.receiptId,
  iss: input.issuer,
  sub: input.pseudonym,
  iat: Math.floor(input.issuedAt.getTime() / 1000),
  jti: input.receiptId,
  consentTimestamp: Math.floor(input.issuedAt.getTime() / 1000),
  issuedAt: input.issuedAt.toISOString(),
  jurisdiction: input.jurisdiction,
  language: input.language,
  piiPrincipalId: input.pseudonym,
  piiControllers: [
    { piiController: input.controller.name, address: input.controller.address, contact: input.controller.contact },
  ],
  policyUrl: input.policyUrl,
  collectionMethod: input.collectionMethod,
  collectionPoint: { form: input.form, pageUrl: input.pageUrl },
  withdrawalMethod: input.withdrawalMethod,
  purposes: input.purposes.map((p) => {
    const mechanism = mechanismOf(p.legalBasis, !!p.directMarketing);
    return {
      purpose: p.key,
      name: p.name,
      legalBasis: p.legalBasis,
      consentType: mechanism === 'opt-in' ? 'expressed' : mechanism,
      channels: p.channels,
      decision: p.decision,
      state: p.state,
      method: p.method === 'form' ? 'checkbox' : p.method === 'signal' ? 'signal:GPC' : null,
      notice: p.notice
        ? { id: p.notice.id, version: p.notice.version, hash: p.notice.hash, locale: p.notice.language }
        : null,
      piiCategory: p.notice?.dataCategories ?? [],
      thirdPartyDisclosure: (p.notice?.recipients.length ?? 0) > 0,
      thirdPartyName: p.notice?.recipients ?? [],
      termination: p.lifetimeDays ? `P${p.lifetimeDays}D` : null,
    };
  }),
  events: input.eventIds,
});
