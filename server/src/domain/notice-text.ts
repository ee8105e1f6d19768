import type { A7Element } from '../../../shared/contracts/notices';
import type { LegalBasis } from '../../../shared/contracts/domain';
import { canonicalJson, sha256Hex } from '../utils/canonical-json';
import { needsWithdrawalText, withdrawalTextFor } from './withdrawal-text';

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
export const noticeText = (notice: NoticeFields, basis: LegalBasis, controller: Controller, directMarketing = false) => ({
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

export const noticeHash = (notice: NoticeFields, basis: LegalBasis, controller: Controller, directMarketing = false): string =>
  sha256Hex(canonicalJson(noticeText(notice, basis, controller, directMarketing)));

/**
 * The A7 minimum information still missing from a notice (EDPB 05/2020 §3.3.1): the controller's identity
 * (plugin configuration), the purpose (title and body), the data categories, the right to withdraw or
 * object (the editor's sentence or the standard one), the recipients (an explicit list, possibly empty),
 * and a link to the full privacy policy.
 */
export const missingInformation = (
  notice: NoticeFields,
  basis: LegalBasis,
  controller: Controller,
  purpose: { directMarketing?: boolean; balancingTest?: string | null } = {}
): A7Element[] => {
  const missing: A7Element[] = [];
  if (!controller.name.trim() || !(controller.contact.trim() || controller.address.trim())) missing.push('controller');
  if (!notice.title?.trim() || !notice.body?.trim()) missing.push('purpose');
  if (!notice.dataCategories?.length) missing.push('dataCategories');
  // The right to object must be shown at collection for legitimate interest (C2, C3, Art. 21(4)).
  if (needsWithdrawalText(basis, purpose.directMarketing) && !withdrawalTextFor(notice, basis, purpose.directMarketing)) {
    missing.push('rightToWithdraw');
  }
  // The balancing test behind a legitimate interest is referenced before anyone is told of it (C3).
  if (basis === 'legitimate-interest' && !purpose.balancingTest?.trim()) missing.push('balancingTest');
  if (!Array.isArray(notice.recipients)) missing.push('recipients');
  if (!notice.privacyPolicyUrl?.trim()) missing.push('privacyPolicyUrl');
  return missing;
};
