/**
 * The main admin views as an editor first meets them on the playground's demo content (issue 17, "Done
 * when": screenshots in docs/images): the purposes list, a purpose, its notice, the demo form, the kids
 * club's form (offered to children), the ledger after a sign-up and the dashboard. Each view is checked
 * to show the demo content, not a spinner or an error, before it is captured. Set CONSENT_SCREENSHOT_DIR
 * (e.g. docs/images) to keep the screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ADMIN, adminLogin, startPlayground, type PlaygroundServer } from './playground-server';

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
  const token = await adminLogin(base);
  const res = await fetch(`${base}${url}`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()).data;
};

/** A visitor ticks `boxes` on the demo form in `locale` and sends it. */
const signUp = async (locale: string, address: string, boxes: string[]) => {
  await page.goto(`${base}/demo?locale=${locale}`);
  await page.locator('input[type=email]').fill(address);
  for (const name of boxes) await page.getByRole('checkbox', { name }).check();
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/demo\/thanks\?/);
};

/** The visitor opens the confirmation mail in the playground's mailbox and confirms. */
const confirm = async (address: string) => {
  await page.goto(`${base}/demo/mails`);
  const link = await page.locator('article', { hasText: address }).first().getByRole('link').getAttribute('href');
  await page.goto(link!);
  const question = await page.locator('h1').textContent();
  await page.locator('button[type=submit]').click();
  // The heading changes once confirmed ("Your request is confirmed", in the visitor's language).
  await page.waitForFunction((before) => document.querySelector('h1')?.textContent !== before, question);
};

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);

  // One sign-up through the demo form, so the ledger and the dashboard have something to show.
  await signUp('en', email, ['Newsletter by email', 'Offers from our partners']);
  await confirm(email);
  await signUp('fr', `noe-${email}`, ['Lettre d’information par e-mail', 'Offres de nos partenaires']);
  await signUp('de', `jonas-${email}`, ['Newsletter per E-Mail']);
  await confirm(`jonas-${email}`);

  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
  // Strapi's own announcement banner would sit on top of every screenshot.
  const close = page.getByRole('button', { name: /close|dismiss/i }).first();
  await close.click({ timeout: 5_000 }).catch(() => undefined);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('the purposes list shows the four demo purposes', async () => {
  await page.goto(`${base}/admin/plugins/consent/purposes`);
  for (const name of ['Newsletter', 'Partner offers', 'Postal mailing'])
    await page.getByText(name, { exact: true }).first().waitFor();
  await shoot('admin-purposes');
});

it('the purpose editor opens the newsletter', async () => {
  await page.goto(`${base}/admin/plugins/consent/purposes/newsletter`);
  // The field is on the page before the purpose has loaded into it: wait for its value, not its presence.
  await page.waitForFunction(() =>
    [...document.querySelectorAll('input')].some((input) => (input as HTMLInputElement).value === 'Newsletter')
  );
  await expect(page.getByLabel(/^Name\*?$/).inputValue()).resolves.toBe('Newsletter');
  await shoot('admin-purpose-editor');
});

it('the notice editor opens the newsletter’s English notice', async () => {
  const notices: Array<{ id: number; purpose: string; locale: string }> = await adminGet(
    '/consent/notices?purpose=newsletter'
  );
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

it('the form editor opens the kids club’s form, offered to children', async () => {
  await page.goto(`${base}/admin/plugins/consent/forms/kids-club`);
  await page.getByRole('heading', { name: 'Kids club', exact: true }).first().waitFor();
  // The purpose loaded into the form and its preview, not only the page around it.
  await page.getByText('Kids club news').first().waitFor();
  // G1, G2: the preview asks what the children's form asks: the age, then a parent's address and when.
  const preview = page.getByTestId('form-preview');
  await preview.getByLabel('Your age', { exact: true }).waitFor({ state: 'visible' });
  await preview.getByLabel('Email address of a parent or guardian', { exact: true }).waitFor({ state: 'visible' });
  await preview.getByText('Under 15, a parent or guardian must agree', { exact: false }).waitFor();
  await shoot('admin-form-kids-club');
});

it('the kids club’s preview in German has the fields and labels of the German form, the age first', async () => {
  await page.goto(`${base}/demo?form=kids-club&locale=de`);
  const labels = (await page.locator('fieldset.age label').allTextContents()).map((l) => l.trim());
  expect(labels).toEqual(['Dein Alter', 'E-Mail-Adresse eines Elternteils']);
  const hint = (await page.locator('fieldset.age p').textContent())!.trim();

  await page.goto(`${base}/admin/plugins/consent/forms/kids-club`);
  await page.getByLabel(/^Language\*?$/).fill('de');
  const preview = page.getByTestId('form-preview').and(page.locator('[lang="de"]'));
  await preview.getByText('Kids club', { exact: false }).first().waitFor();
  for (const label of labels) await preview.getByLabel(label, { exact: true }).waitFor({ state: 'visible' });
  await preview.getByText(hint, { exact: true }).waitFor();
  // The age is asked before the choices, as on the form.
  const order = await preview.evaluate((root) =>
    [...root.querySelectorAll('input[name="age"], input[type="checkbox"]')].map((input) => input.getAttribute('name'))
  );
  expect(order[0]).toBe('age');
  expect(order.length).toBeGreaterThan(1);
});

it('the ledger lists the sign-up’s events', async () => {
  await page.goto(`${base}/admin/plugins/consent/ledger`);
  await page.locator('tbody').getByText('newsletter', { exact: true }).first().waitFor();
  await page.locator('tbody').getByText('partner-offers', { exact: true }).first().waitFor();
  // The filters and the first events in one screen.
  await page
    .getByLabel('Email or pseudonym')
    .evaluate((input) => input.closest('form')?.scrollIntoView({ block: 'start' }));
  await shoot('admin-ledger');
});

it('the dashboard', async () => {
  await page.goto(`${base}/admin/plugins/consent/dashboard`);
  await page.getByRole('heading', { name: 'Dashboard' }).first().waitFor();
  await page.getByText('Newsletter (newsletter)').waitFor();
  await shoot('admin-dashboard');
});

/**
 * Every text (label, hint, value) inside `testId`'s box is whole: the design system clips a label with an
 * ellipsis instead of wrapping it, and the admin's rem is 10px (root font size 62.5%), so a box sized in rem
 * can be narrower than a translation.
 */
const expectWhole = async (testId: string, language: string) => {
  const box = page.getByTestId(testId);
  await box.waitFor();
  const clipped = await box.evaluate((root) =>
    [root, ...root.querySelectorAll('*')]
      .filter((el) => el.children.length === 0 && el.textContent?.trim())
      .filter((el) => el.scrollWidth > el.clientWidth)
      .map((el) => `${el.textContent}: ${el.scrollWidth} > ${el.clientWidth}`)
  );
  expect({ testId, language, clipped }).toEqual({ testId, language, clipped: [] });
};

it('the boxes sized in rem show their texts whole in English, German and French', async () => {
  try {
    for (const language of ['en', 'de', 'fr']) {
      // The interface language as Strapi keeps it for the user (Profile → Interface language).
      await page.evaluate((l) => localStorage.setItem('strapi-admin-language', l), language);
      await page.goto(`${base}/admin/plugins/consent/purposes/newsletter`);
      await expectWhole('new-notice-locale', language);
      await page.goto(`${base}/admin/plugins/consent/forms/demo`);
      await expectWhole('preview-locale', language);
      await page.goto(`${base}/admin/plugins/consent/ledger`);
      await expectWhole('ledger-page-size', language);
    }
  } finally {
    await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'en'));
  }
});
