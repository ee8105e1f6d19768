// Runs in the browser on /demo/client: wires strapi-plugin-consent/client to the page's own fields and
// messages. Everything about consent (unticked boxes, notice versions, the 409 re-ask) is the client's.
import { createConsentForm, mountConsentPurposes } from './consent-client.mjs';

const config = JSON.parse(document.getElementById('demo-config').textContent);
const t = config.labels;
const page = document.getElementById('consent-demo');
const purposes = document.getElementById('purposes');
const status = document.getElementById('status');
const button = page.querySelector('button[type=submit]');

const form = createConsentForm({ form: config.form, locale: config.locale });
mountConsentPurposes(purposes, form, {
  object: t.object,
  data: t.data,
  recipients: t.recipients,
  colon: t.colon,
  policy: t.policy,
  changed: t.changed,
  gpc: t.gpc,
});

const line = (tag, text, attrs = {}) => {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

/** The last recorded submission, with the definition the person answered (its notice titles). */
let last = null;

/** What was recorded, per purpose, in the words the person read: the notice title and what happens next. */
const summary = ({ result, definition }) => {
  const colon = t.colon ?? ': ';
  const receipt = line('p', `${t.receipt}${colon}`);
  receipt.append(line('code', result.receipt.receiptId, { id: 'receipt' }));
  const list = document.createElement('ul');
  for (const [purpose, state] of Object.entries(result.states)) {
    const title = definition?.purposes.find((p) => p.key === purpose)?.notice.title ?? purpose;
    const said =
      state === 'pending'
        ? result.confirmation?.mailSent
          ? t.result.pending
          : t.result.pendingUnsent
        : (t.result[state] ?? t.result.other);
    list.append(line('li', `${title}${colon}${said}`, { 'data-state': purpose }));
  }
  return [line('h2', t.thanks), list, receipt];
};

form.subscribe((state) => {
  purposes.setAttribute('aria-busy', String(state.status === 'loading'));
  button.disabled = state.status === 'loading' || state.status === 'submitting';
  // "subject" (no identifier at all) is said at the email field, the one the page asks for first.
  document.getElementById('error-subject.email').textContent =
    state.fieldErrors['subject.email'] ?? state.fieldErrors.subject ?? '';
  document.getElementById('error-subject.phone').textContent = state.fieldErrors['subject.phone'] ?? '';
  // The boxes show their own errors (choices.*, notices.*); anything else goes to the status line.
  const elsewhere = Object.keys(state.fieldErrors).filter(
    (path) => !['subject', 'subject.email', 'subject.phone'].includes(path) && !/^(choices|notices)\./.test(path)
  );
  const nodes = [];
  if (state.status === 'submitting') nodes.push(line('p', t.sending));
  if (state.status === 'notices-changed') nodes.push(line('p', t.reask, { class: 'consent-changed' }));
  if (
    state.status === 'error' ||
    (state.status === 'invalid' && (!Object.keys(state.fieldErrors).length || elsewhere.length))
  ) {
    const messages = elsewhere.length
      ? elsewhere.map((path) => state.fieldErrors[path]).join(' ')
      : (state.error?.message ?? '');
    nodes.push(line('p', `${t.failed} ${messages}`, { class: 'consent-error' }));
  }
  if (state.status === 'submitting') last = null;
  if (state.status === 'submitted') last = { result: state.result, definition: state.definition };
  // The result stays on screen while the cleared form reloads for the next person.
  if (last && ['submitted', 'loading', 'ready'].includes(state.status)) nodes.push(...summary(last));
  status.replaceChildren(...nodes);
});

page.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(page);
  const state = await form.submit({
    subject: { email: String(data.get('email') ?? ''), phone: String(data.get('phone') ?? '') },
  });
  if (state.status !== 'submitted') return;
  // Recorded: clear the address and the boxes (a fresh load unticks every box, A2) for the next person.
  page.reset();
  await form.load();
});

void form.load();
