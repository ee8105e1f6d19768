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
mountConsentPurposes(purposes, form, { object: t.object, data: t.data, recipients: t.recipients, policy: t.policy, changed: t.changed, gpc: t.gpc });

const line = (tag, text, attrs = {}) => {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
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
  if (state.status === 'error' || (state.status === 'invalid' && (!Object.keys(state.fieldErrors).length || elsewhere.length))) {
    const messages = elsewhere.length ? elsewhere.map((path) => state.fieldErrors[path]).join(' ') : state.error?.message ?? '';
    nodes.push(line('p', `${t.failed} ${messages}`, { class: 'consent-error' }));
  }
  if (state.status === 'submitted') {
    nodes.push(line('h2', t.thanks));
    const receipt = line('p', `${t.receipt}: `);
    receipt.append(line('code', state.result.receipt.receiptId, { id: 'receipt' }));
    nodes.push(receipt);
    const list = document.createElement('ul');
    for (const [purpose, value] of Object.entries(state.result.states)) {
      list.append(line('li', `${purpose}: ${value}`, { 'data-state': purpose }));
    }
    nodes.push(list);
  }
  status.replaceChildren(...nodes);
});

page.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(page);
  void form.submit({ subject: { email: String(data.get('email') ?? ''), phone: String(data.get('phone') ?? '') } });
});

void form.load();
