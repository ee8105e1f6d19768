import type { LegalBasis } from '../../../shared/contracts/domain';

/**
 * WHICH PURPOSES ARE DIRECT MARKETING (C4, C5, C6, C7)
 *
 * Direct marketing is what the person may always object to (Art. 21(2)–(3)), what suppression entries and
 * opposition lists screen, and what needs a current contract when it rests on one. It follows from the
 * legal basis, except for contract purposes, where the editor says whether the purpose's messages sell
 * (in-contract sales calls) or serve the contract (service messages):
 *
 * | legal basis          | direct marketing                                   |
 * | -------------------- | -------------------------------------------------- |
 * | consent              | always                                             |
 * | legitimate interest  | always                                             |
 * | contract             | the purpose's `directMarketing` flag (default no)  |
 * | legal obligation     | never (the law requires the message)               |
 *
 * The flag is frozen once the purpose is used or a notice of it is published, like the legal basis: an
 * objection recorded against a purpose must keep its meaning.
 */
export const isDirectMarketing = (basis: LegalBasis, flag: boolean | null | undefined): boolean =>
  basis === 'consent' || basis === 'legitimate-interest' ? true : basis === 'contract' ? flag === true : false;

/** Why a `directMarketing` value cannot be stored for this basis, or null when it can. */
export const directMarketingProblem = (basis: LegalBasis, flag: boolean | null | undefined): string | null => {
  if (flag === undefined || flag === null) return null;
  if (basis === 'legal-obligation' && flag) return 'a legal-obligation purpose is never direct marketing';
  if ((basis === 'consent' || basis === 'legitimate-interest') && !flag) {
    return `a ${basis} purpose is always direct marketing`;
  }
  return null;
};
