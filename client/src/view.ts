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
  /**
   * A purpose on several channels: one box per channel, each its own decision (A4); the purpose's title
   * is then a heading, not a label. Null: the purpose's single box.
   */
  boxes: BoxView[] | null;
  checked: boolean;
  changed: boolean;
  changedMessage: string | null;
  error: string | null;
}

export interface BoxView {
  channel: string;
  label: string;
  inputId: string;
  /** `choices[<key>][<channel>]`, as a plain HTML form sends it. */
  name: string;
  checked: boolean;
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
  const colon = labels.colon ?? ': ';
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
    data: notice.dataCategories.length ? `${labels.data}${colon}${notice.dataCategories.join(', ')}` : null,
    recipients: notice.recipients.length ? `${labels.recipients}${colon}${notice.recipients.join(', ')}` : null,
    policyUrl: notice.privacyPolicyUrl,
    policyLabel: labels.policy,
    choosable: isChoosable(purpose),
    boxes:
      isChoosable(purpose) && purpose.boxes?.length
        ? purpose.boxes.map((b) => ({
            channel: b.channel,
            label: b.label,
            inputId: `${id}-${b.channel}`,
            name: `choices[${key}][${b.channel}]`,
            checked: state.channelChoices?.[key]?.[b.channel] === true,
          }))
        : null,
    checked: state.choices[key] === true,
    changed,
    changedMessage: changed ? labels.changed : null,
    error:
      state.fieldErrors[`choices.${key}`] ??
      Object.entries(state.fieldErrors).find(([path]) => path.startsWith(`choices.${key}.`))?.[1] ??
      state.fieldErrors[`notices.${key}`] ??
      null,
  };
};
