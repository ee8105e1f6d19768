/**
 * An editor's first session, in headless Chromium against the playground (issue 3; A2, A7, A9): log in,
 * create a purpose, write a German notice, see the A7 checklist complete, publish after confirming, build
 * a form offering the purpose, and see the live preview with the German text and an unticked box.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ADMIN, startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(20_000);
  // Building the plugin and the playground's admin takes one to three minutes, more on a busy machine.
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A labelled input; required fields' labels end with "*". */
const field = (label: string) => page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\*?$`));

const unique = Date.now().toString(36);
const purposeKey = `club-${unique}`;
const formKey = `club-form-${unique}`;

it('logs into the admin with the documented playground account', async () => {
  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
});

it('creates a purpose', async () => {
  await page.goto(`${base}/admin/plugins/consent/purposes`);
  await page.getByRole('button', { name: 'Create a purpose' }).click();
  await field('Key').fill(purposeKey);
  await field('Name').fill('Loyalty club');
  await field('Description').fill('Members’ offers by email');
  // Nothing is preselected (A4): the editor picks the channel.
  await page.getByRole('checkbox', { name: 'Email' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`**/purposes/${purposeKey}`);
  await page.getByText('No notice yet').waitFor();
});

let noticeUrl: string;

it('writes a German notice and sees the A7 checklist complete', async () => {
  await field('Language').fill('de');
  await page.getByRole('button', { name: 'Write a notice' }).click();
  await page.waitForURL('**/notices/new?**');
  await field('Title').fill('Angebote für Mitglieder');
  await field('Text').fill('Wir senden Mitgliedern unseres Clubs monatlich Angebote per E-Mail.');
  await field('Data processed (one per line)').fill('E-Mail-Adresse');
  await field('Privacy policy link').fill('https://example.com/datenschutz');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/notices\/\d+$/);
  noticeUrl = page.url();
  const checklist = page.getByTestId('a7-checklist');
  await checklist.locator('[data-ok="true"]').nth(5).waitFor();
  expect(await checklist.locator('[data-ok="false"]').count()).toBe(0);
});

it('publishes after confirming, and shows the content hash', async () => {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByText('it can never be changed').waitFor();
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await page.getByTestId('notice-hash').waitFor();
  expect(await page.getByTestId('notice-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
  // A published version is read-only: no save, a new version instead.
  expect(await page.getByRole('button', { name: 'Save draft' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Edit as a new version' }).waitFor();
});

it('builds a form and sees the live preview, in German, with the box unticked', async () => {
  await page.goto(`${base}/admin/plugins/consent/forms`);
  await page.getByRole('button', { name: 'Create a form' }).click();
  await field('Key').fill(formKey);
  await field('Name').fill('Club sign-up');
  await page.getByRole('checkbox', { name: `Loyalty club (${purposeKey})` }).click();
  await field('Language').fill('de');
  const preview = page.getByTestId('form-preview');
  await preview.getByText('Angebote für Mitglieder').waitFor();
  await preview.getByText('Sie können Ihre Einwilligung jederzeit kostenlos widerrufen', { exact: false }).waitFor();
  expect(await preview.locator('input[type=checkbox]').isChecked()).toBe(false);
  expect(await preview.getAttribute('lang')).toBe('de');

  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`**/forms/${formKey}`);
  const res = await fetch(`${base}/api/consent/forms/${formKey}?locale=de`);
  expect(res.status).toBe(200);
  const { data } = await res.json();
  expect(data.purposes).toEqual([
    expect.objectContaining({
      key: purposeKey,
      defaultChecked: false,
      notice: expect.objectContaining({ locale: 'de' }),
    }),
  ]);
});

it('the notice page keeps its history once a second version exists, with a diff', async () => {
  await page.goto(noticeUrl);
  await page.getByRole('button', { name: 'Edit as a new version' }).click();
  await page.waitForURL((url) => url.href !== noticeUrl && /\/notices\/\d+$/.test(url.pathname));
  await field('Text').fill('Wir senden Mitgliedern unseres Clubs wöchentlich Angebote per E-Mail.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  const diff = page.getByTestId('notice-diff');
  await diff.locator('ins', { hasText: 'wöchentlich' }).waitFor();
  await diff.locator('del', { hasText: 'monatlich' }).waitFor();
});

it('C3, C4: a legitimate-interest purpose asks for its balancing test; a contract purpose offers the direct-marketing switch', async () => {
  const liKey = `catalogue-${unique}`;
  await page.goto(`${base}/admin/plugins/consent/purposes`);
  await page.getByRole('button', { name: 'Create a purpose' }).click();
  await field('Key').fill(liKey);
  await field('Name').fill('Catalogue by post');
  // Neither field is offered for a consent purpose.
  expect(await page.getByText('Balancing test reference').count()).toBe(0);
  expect(await page.getByText('Direct marketing', { exact: true }).count()).toBe(0);

  await page.getByRole('combobox', { name: /Legal basis/ }).click();
  await page.getByRole('option', { name: 'Contract' }).click();
  await page.getByText('Direct marketing', { exact: true }).waitFor();
  await page.getByText('Mechanism: No choice (contract or legal duty)').waitFor();
  await page.getByRole('checkbox', { name: /Direct marketing/ }).click();
  await page.getByText('Mechanism: Opt-out (people may object)').waitFor();

  await page.getByRole('combobox', { name: /Legal basis/ }).click();
  await page.getByRole('option', { name: 'Legitimate interest' }).click();
  expect(await page.getByText('Direct marketing', { exact: true }).count()).toBe(0);
  await field('Balancing test reference').fill('LIA-2026-04');
  await page.getByRole('checkbox', { name: 'Post' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`**/purposes/${liKey}`);
  await page.reload();
  expect(await field('Balancing test reference').inputValue()).toBe('LIA-2026-04');
});
