import { needsParent, type ConsentForm, type ConsentFormState } from './consent-form';
import { defaultLabels, parentHintFor, type ConsentLabels } from './labels';
import { purposeView, type PurposeView } from './view';

const el = (tag: string, attrs: Record<string, string> = {}, text?: string | null) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  // textContent, never innerHTML: notice text is shown exactly as published, and cannot inject markup.
  if (text != null) node.textContent = text;
  return node;
};

const purposeNode = (view: PurposeView, onChange: (key: string, ticked: boolean, channel?: string) => void) => {
  const box = el('fieldset', { class: 'consent-purpose', 'data-purpose': view.key });
  if (view.changed) box.setAttribute('data-changed', '');
  if (view.changedMessage) box.append(el('p', { class: 'consent-changed', role: 'alert' }, view.changedMessage));
  // A purpose without a choice, or with one box per channel, has no single box: its title is not a label.
  const single = view.choosable && !view.boxes;
  const label = single ? el('label', { for: view.inputId }) : el('p');
  if (single) {
    const input = el('input', {
      type: 'checkbox',
      id: view.inputId,
      name: view.name,
      value: 'on',
      'aria-describedby': view.error ? `${view.noticeId} ${view.errorId}` : view.noticeId,
    }) as HTMLInputElement;
    input.checked = view.checked;
    input.addEventListener('change', () => onChange(view.key, input.checked));
    box.append(input, ' ');
  }
  if (view.prefix) label.append(`${view.prefix} `);
  label.append(el('strong', {}, view.title));
  box.append(label);
  // One box per channel, each its own decision (A4).
  for (const channel of view.boxes ?? []) {
    const row = el('p', { class: 'consent-box', 'data-channel': channel.channel });
    const input = el('input', {
      type: 'checkbox',
      id: channel.inputId,
      name: channel.name,
      value: 'on',
      'aria-describedby': view.error ? `${view.noticeId} ${view.errorId}` : view.noticeId,
    }) as HTMLInputElement;
    input.checked = channel.checked;
    input.addEventListener('change', () => onChange(view.key, input.checked, channel.channel));
    row.append(input, ' ', el('label', { for: channel.inputId }, channel.label));
    box.append(row);
  }
  const notice = el('div', { id: view.noticeId, class: 'consent-notice' });
  notice.append(el('p', {}, view.body), el('p', {}, view.withdrawal));
  const small = [view.data, view.recipients].filter(Boolean).join(' · ');
  if (small) notice.append(el('p', { class: 'consent-small' }, small));
  const policy = el('p', { class: 'consent-small' });
  policy.append(el('a', { href: view.policyUrl }, view.policyLabel));
  notice.append(policy);
  box.append(notice);
  if (view.error) box.append(el('p', { id: view.errorId, class: 'consent-error', role: 'alert' }, view.error));
  return box;
};

/** A labelled input with its error, for the age question and the parent's address. */
const field = (
  id: string,
  type: string,
  label: string,
  value: string,
  error: string | undefined,
  onInput: (value: string) => void
) => {
  const row = el('p', { class: 'consent-field' });
  const input = el('input', {
    id,
    name: id.replace('consent-', ''),
    type,
    ...(error ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {}),
  }) as HTMLInputElement;
  if (type === 'number') Object.assign(input, { min: '0', max: '120', inputMode: 'numeric' });
  input.value = value;
  input.addEventListener('input', () => onInput(input.value));
  row.append(el('label', { for: id }, label), ' ', input);
  if (error) row.append(el('span', { id: `${id}-error`, class: 'consent-error', role: 'alert' }, error));
  return row;
};

/**
 * G1: the age question before the choices; below the threshold, the parent's address (G2), shown or
 * hidden as the age is typed without rebuilding (typing never loses focus).
 */
const ageNode = (state: ConsentFormState, form: ConsentForm, words: ConsentLabels) => {
  const box = el('fieldset', { class: 'consent-age' });
  const parent = field(
    'consent-parentEmail',
    'email',
    words.parentEmail,
    state.parentEmail,
    state.fieldErrors.parentEmail,
    form.setParentEmail
  );
  parent.append(
    el('span', { class: 'consent-small' }, ` ${parentHintFor(words, state.definition!.ageQuestion!.threshold)}`)
  );
  parent.hidden = !needsParent(state);
  const age = field('consent-age', 'number', words.age, state.age, state.fieldErrors.age, (value) => {
    form.setAge(value);
    parent.hidden = !needsParent(form.getState());
  });
  box.append(age, parent);
  return box;
};

/**
 * Renders the form's purposes into `container` and keeps them in step with `form`. The boxes are rebuilt
 * only when the definition, the changed notices or the errors change, so ticking a box never steals focus.
 * Returns the function that stops it.
 */
export const mountConsentPurposes = (
  container: HTMLElement,
  form: ConsentForm,
  labels: Partial<ConsentLabels> = {}
): (() => void) => {
  const words = { ...defaultLabels, ...labels };
  let shown: unknown[] = [];
  const render = (state: ConsentFormState) => {
    const key = [state.definition, state.changed, state.fieldErrors, state.gpc];
    if (key.every((part, i) => part === shown[i])) return;
    shown = key;
    const nodes: Node[] = [];
    if (state.gpc) nodes.push(el('p', { class: 'consent-gpc', role: 'note' }, words.gpc));
    if (state.definition?.ageQuestion) nodes.push(ageNode(state, form, words));
    for (const purpose of state.definition?.purposes ?? []) {
      nodes.push(purposeNode(purposeView(state, purpose, words), form.setChoice));
    }
    container.replaceChildren(...nodes);
  };
  render(form.getState());
  return form.subscribe(render);
};
