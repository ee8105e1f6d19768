import type { LegalBasis } from '../../../shared/contracts/domain';
import { canonicalJson, sha256Hex } from '../utils/canonical-json';
import { withdrawalTextFor } from './withdrawal-text';

export interface Controller {
  name: string;
  address: string;
  contact: string;
}

/** A notice version as stored (the fields the person reads, plus its identity). */
export interface NoticeFields {
  purpose: string;
  language: string;
  version: number;
  title: string;
  body: string;
  dataCategories?: string[] | null;
  recipients?: string[] | null;
  privacyPolicyUrl?: string | null;
  withdrawalText?: string | null;
}

/**
 * Everything a person is shown for a notice version, in a fixed shape. Its canonical JSON (sorted keys,
 * NFC strings; see docs/notices.md) is what the content hash covers, so a receipt's hash proves which
 * words, which data categories, which recipients and which controller the person saw (A9).
 */
export const noticeText = (
  notice: NoticeFields,
  basis: LegalBasis,
  controller: Controller,
  directMarketing = false
) => ({
  purpose: notice.purpose,
  language: notice.language,
  version: notice.version,
  legalBasis: basis,
  title: notice.title,
  body: notice.body,
  withdrawal: withdrawalTextFor(notice, basis, directMarketing),
  dataCategories: notice.dataCategories ?? [],
  recipients: notice.recipients ?? [],
  privacyPolicyUrl: notice.privacyPolicyUrl ?? null,
  controller: { name: controller.name, address: controller.address, contact: controller.contact },
});

export const noticeHash = (
  notice: NoticeFields,
  basis: LegalBasis,
  controller: Controller,
  directMarketing = false
): string => sha256Hex(canonicalJson(noticeText(notice, basis, controller, directMarketing)));
