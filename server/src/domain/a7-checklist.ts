import type { LegalBasis } from '../../../shared/contracts/domain';
import type { A7Element } from '../../../shared/contracts/notices';
import { needsWithdrawalText, withdrawalTextFor } from './withdrawal-text';

/**
 * The fields of a notice the checklist reads. Pure and free of Node modules on purpose: the admin's notice
 * editor runs this very function on the text as it is typed, so the editor's checklist and the server's
 * refusal to publish cannot disagree (A7).
 */
export interface ChecklistNotice {
  language: string;
  title?: string | null;
  body?: string | null;
  dataCategories?: string[] | null;
  recipients?: string[] | null;
  privacyPolicyUrl?: string | null;
  withdrawalText?: string | null;
}

export interface ChecklistController {
  name: string;
  address: string;
  contact: string;
}

/**
 * The A7 minimum information still missing from a notice (EDPB 05/2020 §3.3.1): the controller's identity
 * (plugin configuration), the purpose (title and body), the data categories, the right to withdraw or
 * object (the editor's sentence or the standard one), the recipients (an explicit list, possibly empty),
 * and a link to the full privacy policy.
 */
export const missingInformation = (
  notice: ChecklistNotice,
  basis: LegalBasis,
  controller: ChecklistController,
  purpose: { directMarketing?: boolean; balancingTest?: string | null } = {}
): A7Element[] => {
  const missing: A7Element[] = [];
  if (!controller.name.trim() || !(controller.contact.trim() || controller.address.trim())) missing.push('controller');
  if (!notice.title?.trim() || !notice.body?.trim()) missing.push('purpose');
  if (!notice.dataCategories?.length) missing.push('dataCategories');
  // The right to object must be shown at collection for legitimate interest (C2, C3, Art. 21(4)).
  if (
    needsWithdrawalText(basis, purpose.directMarketing) &&
    !withdrawalTextFor(notice, basis, purpose.directMarketing)
  ) {
    missing.push('rightToWithdraw');
  }
  // The balancing test behind a legitimate interest is referenced before anyone is told of it (C3).
  if (basis === 'legitimate-interest' && !purpose.balancingTest?.trim()) missing.push('balancingTest');
  if (!Array.isArray(notice.recipients)) missing.push('recipients');
  if (!notice.privacyPolicyUrl?.trim()) missing.push('privacyPolicyUrl');
  return missing;
};
