/**
 * The editor's notice and form pages in headless Chromium against the playground (issue 17, points 3-5):
 * the A7 checklist follows the text as it is typed and a draft saves without its privacy link (A7); a
 * refusal names the field as the editor sees it; the form preview says what the public form says ("I
 * object:" for legitimate interest, the policy link and the send button in the visitor's language; C3,
 * A8); and a purpose left out of a language says why, on the form page and in the preview (A7).
 * Screenshots go to CONSENT_SCREENSHOT_DIR when it is set.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ADMIN, adminLogin, startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let page: Page;
let base: string;
let token: string;

const unique = Date.now().toString(36);

const api = async (method: string, url: string, body?: unknown) => {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${JSON.stringify(json)}`);
  return json.data;
};

const shoot = async (name: string) => {
  const dir = process.env.CONSENT_SCREENSHOT_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
};

/** A labelled input; required fields' labels end with "*". */
const field = (label: string) => page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\*?$`));
const item = (element: string) => page.getByTestId('a7-checklist').locator(`[data-element="${element}"]`);
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  token = await adminLogin(base);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(20_000);
  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
  // Building the plugin and the playground's admin takes one to three minutes, more on a busy machine.
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the notice checklist follows the text as typed (A7)', () => {
  const key = `live-${unique}`;

  it('A7: each element turns green while typing, before anything is saved; required fields are marked', async () => {
    await api('POST', '/consent/purposes', { key, name: 'Live checklist', legalBasis: 'consent', channels: ['email'] });
    await page.goto(`${base}/admin/plugins/consent/notices/new?purpose=${key}&locale=en`);
    await item('purpose').and(page.locator('[data-ok="false"]')).waitFor();
    await field('Title').fill('Club news');
    await field('Text').fill('We email club news once a month.');
    await item('purpose').and(page.locator('[data-ok="true"]')).waitFor();
    await field('Data processed (one per line)').fill('email address');
    await item('dataCategories').and(page.locator('[data-ok="true"]')).waitFor();
    expect(await item('privacyPolicyUrl').getAttribute('data-ok')).toBe('false');
    await field('Privacy policy link').fill('example.com');
    // A link the API would refuse does not tick the box.
    expect(await item('privacyPolicyUrl').getAttribute('data-ok')).toBe('false');
    await field('Privacy policy link').fill('');
    // What publishing needs is marked as required, not only title and text.
    for (const label of ['Data processed (one per line)', 'Privacy policy link']) {
      await page.locator('label', { hasText: label }).filter({ hasText: '*' }).first().waitFor();
    }
    await shoot('notice-live-checklist');
  });

  it('A7: a draft without its privacy link saves; the checklist keeps saying it is missing', async () => {
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/notices\/\d+$/);
    await page.getByText('Draft saved').first().waitFor();
    expect(await item('privacyPolicyUrl').getAttribute('data-ok')).toBe('false');
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);
  });

  it('A7: a wrong link is refused in the editor’s words, naming the field as labelled', async () => {
    await field('Privacy policy link').fill('example.com/privacy');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Not saved. Please check: Privacy policy link').first().waitFor();
    await page.getByText('Enter a full web address, starting with https://').waitFor();
    expect(await page.getByText('privacyPolicyUrl').count()).toBe(0);
    await shoot('notice-link-refused');
  });

  it('A7: with the link typed the checklist is complete; publishing waits until it is saved', async () => {
    await field('Privacy policy link').fill('https://example.com/privacy');
    await item('privacyPolicyUrl').and(page.locator('[data-ok="true"]')).waitFor();
    expect(await page.getByTestId('a7-checklist').locator('[data-ok="false"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('button')].some((b) => b.textContent === 'Publish' && !b.disabled)
    );
  });
});

describe('the form preview says what visitors read (C3, A8)', () => {
  /** Per purpose: the words before the notice text (box label, objection wording, title). */
  const headings = async (fieldsets: ReturnType<Page['locator']>) =>
    (await fieldsets.evaluateAll((nodes) => nodes.map((n) => n.querySelector('label, p')?.textContent ?? ''))).map(
      squash
    );

  it('C3, A8: the French preview has "Je m’oppose :", the French policy link and send button, like the demo form', async () => {
    await page.goto(`${base}/demo?locale=fr`);
    const visitor = {
      headings: await headings(page.locator('fieldset.purpose')),
      submit: squash(await page.locator('form button[type=submit]').textContent()),
      policy: squash(await page.locator('a', { hasText: 'Politique' }).first().textContent()),
    };
    expect(visitor.headings).toContain('Je m’oppose : Catalogue par courrier');

    await page.goto(`${base}/admin/plugins/consent/forms/demo`);
    await field('Language').fill('fr');
    const preview = page.getByTestId('form-preview');
    await preview.and(page.locator('[lang="fr"]')).waitFor();
    expect(await headings(preview.locator('fieldset'))).toEqual(visitor.headings);
    expect(squash(await preview.getByRole('button').textContent())).toBe(visitor.submit);
    expect(visitor.submit).toBe('Envoyer');
    await preview.getByRole('link', { name: visitor.policy }).first().waitFor();
    expect(await preview.getByText('Privacy policy').count()).toBe(0);
    await shoot('form-preview-fr');
  });
});

describe('a purpose left out of a language says why (A7)', () => {
  const germanOnly = `catalogue-de-${unique}`;
  const unwritten = `unwritten-${unique}`;
  const formKey = `reasons-${unique}`;

  it('A7: the form page lists, per purpose and language, whether it is offered and why not', async () => {
    // Default language German, but only an English notice: French visitors have nothing to read.
    await api('POST', '/consent/purposes', {
      key: germanOnly,
      name: 'Catalogue (German shop)',
      legalBasis: 'consent',
      channels: ['postal'],
      defaultLocale: 'de',
    });
    const notice = await api('POST', '/consent/notices', {
      purpose: germanOnly,
      locale: 'en',
      title: 'Catalogue',
      body: 'We post our catalogue twice a year.',
      dataCategories: ['postal address'],
      recipients: [],
      privacyPolicyUrl: 'https://example.com/privacy',
    });
    await api('POST', `/consent/notices/${notice.id}/publish`);
    await api('POST', '/consent/purposes', {
      key: unwritten,
      name: 'Not written yet',
      legalBasis: 'consent',
      channels: ['email'],
    });
    await api('POST', '/consent/forms', {
      key: formKey,
      name: 'Reasons',
      purposes: ['newsletter', germanOnly, unwritten],
    });

    await page.goto(`${base}/admin/plugins/consent/forms/${formKey}`);
    const table = page.getByTestId('form-offers');
    const cell = (purpose: string, language: string) =>
      table.locator(`tr[data-purpose="${purpose}"] td[data-language="${language}"]`);
    await cell(germanOnly, 'fr').waitFor();
    expect(squash(await cell(germanOnly, 'en').textContent())).toBe('offered');
    expect(squash(await cell(germanOnly, 'fr').textContent())).toBe(
      'not offered: no published notice in fr, nor in the purpose’s default language (de)'
    );
    expect(squash(await cell(germanOnly, 'de').textContent())).toBe(
      'not offered: no published notice in de, the purpose’s default language'
    );
    expect(squash(await cell(unwritten, 'en').textContent())).toBe(
      'not offered: no notice is published in any language'
    );
    expect(squash(await cell('newsletter', 'fr').textContent())).toBe('offered');
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(process.env.CONSENT_SCREENSHOT_DIR ?? '/tmp', 'form-offers.png') });
  });

  it('A7: the preview in French names the purposes visitors will not see, with the reason', async () => {
    await field('Language').fill('fr');
    const left = page.getByTestId('preview-not-offered');
    await left.locator(`[data-purpose="${germanOnly}"]`).waitFor();
    expect(squash(await left.locator(`[data-purpose="${germanOnly}"]`).textContent())).toBe(
      'Catalogue (German shop): not offered: no published notice in fr, nor in the purpose’s default language (de)'
    );
    expect(squash(await left.locator(`[data-purpose="${unwritten}"]`).textContent())).toBe(
      'Not written yet: not offered: no notice is published in any language'
    );
    expect(await page.getByTestId('form-preview').locator(`[data-purpose="${germanOnly}"]`).count()).toBe(0);
    await shoot('form-preview-not-offered');
  });
});
