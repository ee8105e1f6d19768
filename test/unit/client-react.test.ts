/**
 * `strapi-plugin-consent/react` renders what the client decides (issue 8): one unticked box per purpose
 * labelled with the notice title and the notice text as published (A2, A4, A8), the objection wording for
 * an opt-out purpose, the re-ask message after a 409, field errors, and the GPC note (F1).
 */
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ConsentFormState, PublicPurpose } from '../../client/src';
import { untouchedState } from '../../client/src/consent-form';
import { ConsentPurposes, FieldError } from '../../react/src';
import { formDefinition, publicPurpose } from '../harness/public-form';

const purpose = (key: string, mechanism: PublicPurpose['mechanism'], title: string) =>
  publicPurpose(key, mechanism, {
    title,
    body: `Body of ${title} <b>as text</b>`,
    withdrawal: 'Withdraw any time.',
    recipients: key === 'partners' ? ['Example Bank SA'] : [],
  });

const state = (patch: Partial<ConsentFormState> = {}): ConsentFormState => ({
  ...untouchedState(
    'ready',
    formDefinition([
      purpose('newsletter', 'opt-in', 'Newsletter'),
      purpose('partners', 'opt-in', 'Partner offers'),
      purpose('postal', 'opt-out', 'Catalogue'),
    ]),
    false
  ),
  choices: { newsletter: false, partners: false, postal: false },
  ...patch,
});

const render = (s: ConsentFormState) =>
  renderToStaticMarkup(h(ConsentPurposes, { state: s, onChange: () => undefined }));

it('A2, A4, A8: one unticked checkbox per purpose, alike, with no accept-all and the notice as text', () => {
  const html = render(state());
  const boxes = html.match(/<input[^>]*>/g) ?? [];
  expect(boxes).toHaveLength(3);
  for (const box of boxes) {
    expect(box).toMatch(/type="checkbox"/);
    expect(box).not.toMatch(/checked/);
    expect(box.replace(/consent-[a-z]+|choices\[[a-z]+\]/g, '')).toBe(
      boxes[0]!.replace(/consent-[a-z]+|choices\[[a-z]+\]/g, '')
    );
  }
  expect(html).toContain('<label for="consent-newsletter"><strong>Newsletter</strong></label>');
  expect(html).toContain('Body of Newsletter &lt;b&gt;as text&lt;/b&gt;');
  expect(html).toContain('Recipients: Example Bank SA');
  expect(html).not.toMatch(/accept all|select all/i);
  expect(html).not.toMatch(/<button/);
});

it('labels an opt-out purpose as the objection', () => {
  expect(render(state())).toContain('<label for="consent-postal">I object: <strong>Catalogue</strong></label>');
});

it('A4: a purpose without a choice (contract) is shown with its notice, without a box', () => {
  const s = state();
  s.definition!.purposes = [
    { ...purpose('orders', 'opt-in', 'Order updates'), legalBasis: 'contract', mechanism: 'none' },
  ];
  const html = render(s);
  expect(html).not.toMatch(/<input|<label/);
  expect(html).toContain('<p><strong>Order updates</strong></p>');
  expect(html).toContain('Body of Order updates');
});

it('A9: after a 409 the changed purpose says so, unticked; the others keep their choice', () => {
  const html = render(
    state({
      status: 'notices-changed',
      changed: ['newsletter'],
      choices: { newsletter: false, partners: true, postal: false },
    })
  );
  expect(html).toMatch(
    /data-purpose="newsletter" data-changed="">\s*<p class="consent-changed" role="alert">This text has changed/
  );
  expect(html).toMatch(/id="consent-partners"[^>]*checked=""/);
  expect(html).not.toMatch(/id="consent-newsletter"[^>]*checked/);
});

it('shows a field error next to its field and links it to the box', () => {
  const s = state({
    fieldErrors: { 'subject.email': 'must be a valid email', 'choices.partners': 'must be true or false' },
  });
  expect(renderToStaticMarkup(h(FieldError, { state: s, path: 'subject.email' }))).toBe(
    '<span class="consent-error" role="alert">must be a valid email</span>'
  );
  expect(renderToStaticMarkup(h(FieldError, { state: s, path: 'subject.phone' }))).toBe('');
  expect(render(s)).toMatch(/aria-describedby="consent-partners-notice consent-partners-error"/);
});

it('F1: says that the Global Privacy Control signal is honoured when the browser sends it', () => {
  expect(render(state({ gpc: true }))).toContain(
    '<p class="consent-gpc" role="note">Your browser sends a Global Privacy Control signal'
  );
  expect(render(state())).not.toContain('consent-gpc');
});

it('A4, N16: a purpose offered per channel renders one labelled checkbox per channel, named choices[key][channel]', () => {
  const offers = {
    ...purpose('offers', 'opt-in', 'Offers'),
    channels: ['email', 'sms'],
    boxes: [
      { channel: 'email', label: 'By email' },
      { channel: 'sms', label: 'By text message (SMS)' },
    ],
  } as PublicPurpose;
  const html = render(
    state({
      definition: formDefinition([offers]),
      choices: { offers: false },
      channelChoices: { offers: { email: false, sms: true } },
    })
  );
  const boxes = html.match(/<input[^>]*>/g) ?? [];
  expect(boxes).toHaveLength(2);
  expect(boxes[0]).toMatch(/name="choices\[offers\]\[email\]"/);
  expect(boxes[0]).not.toMatch(/checked/);
  expect(boxes[1]).toMatch(/name="choices\[offers\]\[sms\]"/);
  expect(boxes[1]).toMatch(/checked/);
  expect(html).toContain('<label for="consent-offers-sms">By text message (SMS)</label>');
  // The title is a heading, not the label of a box.
  expect(html).not.toMatch(/<label[^>]*><strong>Offers/);
});
