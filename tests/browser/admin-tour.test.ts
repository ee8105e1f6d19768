/**
 * The main admin views as an editor first meets them on the playground's demo content (issue 17, "Done
 * when": screenshots in docs/images): the purposes list, a purpose, its notice, the demo form, the ledger
 * after a sign-up and the dashboard. Each view is checked to show the demo content, not a spinner or an
 * error, before it is captured. Set CONSENT_SCREENSHOT_DIR (e.g. docs/images) to keep the screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ADMIN, startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let base: string;
let page: Page;
const email = `ines-${Date.now().toString(36)}@example.com`;

const shoot = async (name: string) => {
  const dir = process.env.CONSENT_SCREENSHOT_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
};

const adminGet = async (url: string) => {
  const login = await fetch(`${base}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const token = (await login.json()).data.token;
  const res = await fetch(`${base}${url}`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()).data;
};

beforeAll(async () => {
  if (process.env.CONSENT_BROWSER_URL) base = process.env.CONSENT_BROWSER_URL;
  else {
    server = await startPlayground();
    base = server.url;
  }
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);

  // One sign-up through the demo form, so the ledger and the dashboard have something to show.
  await context.route(`${base}/api/consent/submissions`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const headers = response.headers();
    if (headers.location) headers.location = headers.location.replace('http://localhost:1337', base);
    await route.fulfill({ response, headers });
  });
  await page.goto(`${base}/demo`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('checkbox', { name: 'Newsletter by email' }).check();
  await page.getByRole('checkbox', { name: 'Partner offers by email' }).check();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(/\/demo\/thanks\?/);

  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('the purposes list shows the four demo purposes', async () => {
  await page.goto(`${base}/admin/plugins/consent/purposes`);
  for (const name of ['Newsletter', 'Partner offers', 'Postal mailing']) await page.getByRole('cell', { name, exact: true }).first().waitFor();
  await shoot('admin-purposes');
});

it('the purpose editor opens the newsletter', async () => {
  await page.goto(`${base}/admin/plugins/consent/purposes/newsletter`);
  await expect(page.getByLabel(/^Name\*?$/).inputValue()).resolves.toBe('Newsletter');
  await shoot('admin-purpose-editor');
});

it('the notice editor opens the newsletter’s English notice', async () => {
  const notices: Array<{ id: number; purpose: string; locale: string }> = await adminGet('/consent/notices?purpose=newsletter');
  const notice = notices.find((n) => n.purpose === 'newsletter' && n.locale === 'en');
  expect(notice).toBeDefined();
  await page.goto(`${base}/admin/plugins/consent/notices/${notice!.id}`);
  await page.getByRole('heading', { name: /"Newsletter" notice, en, version \d+/ }).waitFor();
  await shoot('admin-notice-editor');
});

it('the form editor opens the demo form', async () => {
  await page.goto(`${base}/admin/plugins/consent/forms/demo`);
  await page.getByRole('heading', { name: /demo/i }).first().waitFor();
  await shoot('admin-form-editor');
});

it('the ledger lists the sign-up’s events', async () => {
  await page.goto(`${base}/admin/plugins/consent/ledger`);
  await page.getByRole('cell', { name: 'newsletter' }).first().waitFor();
  await shoot('admin-ledger');
});

it('the dashboard', async () => {
  await page.goto(`${base}/admin/plugins/consent/dashboard`);
  await page.getByRole('heading', { name: 'Dashboard' }).first().waitFor();
  await shoot('admin-dashboard');
});
