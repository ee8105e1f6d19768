import type { ConsentFormState } from './consent-form';
import { isChoosable } from './consent-form';
import type { ConsentLabels } from './labels';
import type { PublicPurpose } from './types';

/**
 * What to render for one purpose, so the DOM helper and the React components show the same thing: one
 * unticked box per purpose (A2, A4), labelled with the notice title, the notice text as published, and
 * no accept-all or pre-selection anywhere (A8).
 */
export interface PurposeView {
  key: string;
  inputId: string;
  noticeId: string;
  errorId: string;
  /** The input's name, as a plain HTML form sends it (`choices[<key>]`). */
  name: string;
  /** "I object:" for an opt-out purpose, else ''. */
  prefix: string;
  title: string;
  body: string;
  withdrawal: string;
  /** "Data: …" and "Recipients: …", or null when there is nothing to list. */
  data: string | null;
  recipients: string | null;
  policyUrl: string;
  policyLabel: string;
  /** False for contract and legal-obligation purposes: information only, no box. */
  choosable: boolean;
  checked: boolean;
  changed: boolean;
  changedMessage: string | null;
  error: string | null;
}

export const purposeView = (
  state: ConsentFormState,
  purpose: PublicPurpose,
  labels: ConsentLabels,
  idPrefix = 'consent'
): PurposeView => {
  const { key, notice } = purpose;
  const id = `${idPrefix}-${key}`;
  const changed = state.changed.includes(key);
  return {
    key,
    inputId: id,
    noticeId: `${id}-notice`,
    errorId: `${id}-error`,
    name: `choices[${key}]`,
    prefix: purpose.mechanism === 'opt-out' ? labels.object : '',
    title: notice.title,
    body: notice.body,
    withdrawal: notice.withdrawal,
    data: notice.dataCategories.length ? `${labels.data}: ${notice.dataCategories.join(', ')}` : null,
    recipients: notice.recipients.length ? `${labels.recipients}: ${notice.recipients.join(', ')}` : null,
    policyUrl: notice.privacyPolicyUrl,
    policyLabel: labels.policy,
    choosable: isChoosable(purpose),
    checked: state.choices[key] === true,
    changed,
    changedMessage: changed ? labels.changed : null,
    error: state.fieldErrors[`choices.${key}`] ?? state.fieldErrors[`notices.${key}`] ?? null,
  };
};
