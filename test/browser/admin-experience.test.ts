/**
 * The editor's experience in headless Chromium against the playground (issue 17, points 1, 2, 6, 7): the
 * plugin's section bar follows the role's permissions (spec 4.3), a new purpose ticks no channel (A4) and
 * saving without one names the field, the publish dialog only speaks of retiring a version when one is in
 * force and notice headings use the purpose's name, and the admin speaks German to a user who chose it.
 * Set CONSENT_SCREENSHOT_DIR to keep screenshots of each view.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ADMIN, adminLogin, startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let base: string;
let superToken: string;

const unique = Date.now().toString(36);
const PASSWORD = 'Editor-password-1';

const adminApi = async (method: string, url: string, body?: unknown, token = superToken) => {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = res.status === 204 ? {} : await res.json();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${JSON.stringify(json)}`);
  return json.data;
};

/** A role holding exactly `actions` of the plugin, and an active user with only that role (as an admin invites one). */
const createEditor = async (name: string, actions: string[]) => {
  const role = await adminApi('POST', '/admin/roles', { name: `${name} ${unique}`, description: 'browser test role' });
  await adminApi('PUT', `/admin/roles/${role.id}/permissions`, {
    permissions: actions.map((a) => ({
      action: `plugin::consent.${a}`,
      subject: null,
      properties: {},
      conditions: [],
    })),
  });
  const email = `${name}-${unique}@example.com`;
  const user = await adminApi('POST', '/admin/users', { firstname: name, lastname: 'Editor', email, roles: [role.id] });
  await adminApi('POST', '/admin/register', {
    registrationToken: user.registrationToken,
    userInfo: { firstname: name, lastname: 'Editor', password: PASSWORD },
  });
  return { email, password: PASSWORD };
};

const shoot = async (page: Page, name: string, { fullPage = true } = {}) => {
  const dir = process.env.CONSENT_SCREENSHOT_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.waitForLoadState('networkidle');
  // A dialog is drawn over the viewport: a full-page capture would leave it out.
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });
};

const contexts: BrowserContext[] = [];
let superPage: Page | undefined;
/** The Super Admin's page, logged in once (Strapi limits logins per account to a few per minutes). */
const asSuperAdmin = async () => (superPage ??= await loggedIn(ADMIN));
const loggedIn = async (account: { email: string; password: string }) => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
  return page;
};

/** The labels of the plugin's section bar, once the role's permissions are known. */
const sections = async (page: Page, navName = 'Consent sections') => {
  const nav = page.getByRole('navigation', { name: navName });
  await nav.getByRole('link').first().waitFor();
  // The bar renders before the permission checks answer; wait until it stops changing.
  let previous = '';
  for (;;) {
    await page.waitForTimeout(300);
    const now = (await nav.getByRole('link').allTextContents()).join('|');
    if (now === previous) return now.split('|');
    previous = now;
  }
};

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  superToken = await adminLogin(base);
  browser = await launchBrowser();
  // Building the plugin and the playground's admin takes one to three minutes, more on a busy machine.
}, 600_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

describe('the section bar follows the role (spec 4.3)', () => {
  it('the Super Admin sees every section: Purposes, Forms, Ledger, Dashboard, Reports and Messages', async () => {
    const page = await asSuperAdmin();
    await page.goto(`${base}/admin/plugins/consent/purposes`);
    expect(await sections(page)).toEqual(['Purposes', 'Forms', 'Ledger', 'Dashboard', 'Reports', 'Messages']);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL('**/plugins/consent/dashboard');
    await shoot(page, 'nav-super-admin');
  });

  it.each([
    ['purposes.read', ['Purposes'], 'purposes'],
    ['forms.read', ['Forms'], 'forms'],
    ['records.read', ['Ledger', 'Dashboard'], 'ledger'],
    ['reports.manage', ['Reports'], 'reports'],
    ['messages.read', ['Messages'], 'messages'],
  ])('a role with only %s sees %j, and opening the plugin lands there', async (action, visible, start) => {
    const page = await loggedIn(await createEditor(action.replace('.', '-'), [action]));
    await page.goto(`${base}/admin/plugins/consent`);
    await page.waitForURL(`**/plugins/consent/${start}`);
    expect(await sections(page)).toEqual(visible);
  });
});

describe('purposes', () => {
  it('A4: a new purpose ticks no channel; saving without one names the field and records nothing', async () => {
    const page = await asSuperAdmin();
    const key = `club-${unique}`;
    await page.goto(`${base}/admin/plugins/consent/purposes/new`);
    const channels = page.getByRole('group', { name: 'Channels' }).getByRole('checkbox');
    await channels.first().waitFor();
    expect(await channels.count()).toBeGreaterThan(1);
    for (const box of await channels.all()) expect(await box.isChecked()).toBe(false);

    await page.getByLabel(/^Key\*?$/).fill(key);
    await page.getByLabel(/^Name\*?$/).fill('Loyalty club');
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.getByRole('group', { name: 'Channels' }).getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toBe('Channels: tick at least one channel this purpose uses.');
    await shoot(page, 'purpose-no-channel');
    expect(page.url()).toMatch(/\/purposes\/new$/);
    expect(
      (await fetch(`${base}/consent/purposes/${key}`, { headers: { Authorization: `Bearer ${superToken}` } })).status
    ).toBe(404);

    await page.getByRole('checkbox', { name: 'Email' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`**/purposes/${key}`);
    expect((await adminApi('GET', `/consent/purposes/${key}`)).channels).toEqual(['email']);
  });
});

describe('notices', () => {
  const key = `quiz-${unique}`;
  const noticeInput = (title: string) => ({
    purpose: key,
    locale: 'en',
    title,
    body: 'We send the weekly quiz by email.',
    dataCategories: ['email address'],
    recipients: [],
    privacyPolicyUrl: 'https://example.com/privacy',
  });
  let page: Page;

  beforeAll(async () => {
    await adminApi('POST', '/consent/purposes', {
      key,
      name: 'Weekly quiz',
      legalBasis: 'consent',
      channels: ['email'],
    });
    page = await asSuperAdmin();
  });

  it('the heading names the purpose; the first publication retires nothing', async () => {
    const draft = await adminApi('POST', '/consent/notices', noticeInput('The weekly quiz'));
    await page.goto(`${base}/admin/plugins/consent/notices/${draft.id}`);
    await page.getByRole('heading', { name: '"Weekly quiz" notice, en, version 1' }).waitFor();
    expect(await page.getByRole('heading', { name: new RegExp(key) }).count()).toBe(0);

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('it can never be changed', { exact: false }).waitFor();
    await shoot(page, 'publish-first-version', { fullPage: false });
    expect(await dialog.textContent()).not.toMatch(/retire/i);
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await page.getByTestId('notice-hash').waitFor();
  });

  it('publishing a second version says which version in force is retired', async () => {
    const draft = await adminApi('POST', '/consent/notices', noticeInput('The weekly quiz, now with prizes'));
    await page.goto(`${base}/admin/plugins/consent/notices/${draft.id}`);
    await page.getByRole('heading', { name: '"Weekly quiz" notice, en, version 2' }).waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Version 1, in force now, will be retired.').waitFor();
    await shoot(page, 'publish-second-version', { fullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('a new notice is headed with the purpose’s name', async () => {
    await page.goto(`${base}/admin/plugins/consent/notices/new?purpose=${key}&locale=de`);
    await page.getByRole('heading', { name: 'New notice for "Weekly quiz" (de)' }).waitFor();
  });
});

describe('the admin in German', () => {
  it('a user who picks Deutsch as interface language sees the plugin in German, errors included', async () => {
    const page = await loggedIn(
      await createEditor('de', ['purposes.read', 'purposes.manage', 'notices.read', 'forms.read'])
    );
    // The user's own choice, on their profile page, as any editor makes it.
    await page.goto(`${base}/admin/me`);
    await page.getByRole('combobox', { name: 'Interface language' }).click();
    await page.getByRole('option', { name: 'Deutsch' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('combobox', { name: 'Sprache der Oberfläche' }).waitFor();

    await page.goto(`${base}/admin/plugins/consent/purposes`);
    expect(await sections(page, 'Bereiche der Einwilligungsverwaltung')).toEqual(['Zwecke', 'Formulare']);
    await shoot(page, 'admin-german-purposes');

    await page.goto(`${base}/admin/plugins/consent/purposes/new`);
    await page.getByLabel(/^Schlüssel\*?$/).fill(`verein-${unique}`);
    await page.getByLabel(/^Name\*?$/).fill('Verein');
    await page.getByRole('button', { name: 'Speichern' }).click();
    const error = page.getByRole('group', { name: 'Kanäle' }).getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toBe('Kanäle: Kreuzen Sie mindestens einen Kanal an, den dieser Zweck nutzt.');
    await shoot(page, 'admin-german-no-channel');
  });
});
