/**
 * Consent-gated sending as a person sees it (issue 16 part 1; D4, E1, E3): in the playground a visitor
 * signs up and confirms, the mailbox's "Send the demo newsletter" sends through the messages service, the
 * newsletter arrives with its one-click headers and an unsubscribe link that works, and the admin's
 * *Consent → Messages* shows the send with its progress bar and counts. Set CONSENT_SCREENSHOT_DIR to keep
 * a screenshot of the admin page.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ADMIN, startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let page: Page;
let base: string;
const email = `nina-${Date.now().toString(36)}@example.com`;

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The mailbox's newest mail to `email` whose subject matches, once it has arrived. */
const mailTo = async (subject: RegExp) => {
  for (let i = 0; i < 60; i++) {
    await page.goto(`${base}/demo/mails`);
    const article = page.locator('article', { hasText: email }).filter({ hasText: subject }).first();
    if (await article.count()) return article;
    await page.waitForTimeout(500);
  }
  throw new Error(`no mail ${subject} to ${email}`);
};

it('a visitor signs up to the newsletter on the demo form and confirms by mail', async () => {
  await page.goto(`${base}/demo`);
  await page.getByLabel(/Email/).first().fill(email);
  await page.getByRole('checkbox', { name: 'Newsletter by email' }).check();
  await page.getByRole('button', { name: /Send/ }).click();
  await page.waitForURL(/\/demo\/thanks\?/);
  const confirmation = await mailTo(/confirm/i);
  await page.goto((await confirmation.getByRole('link').first().getAttribute('href'))!);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'Your request is confirmed' }).waitFor();
});

it('D4, E1: "Send the demo newsletter" delivers it with both one-click headers and a visible unsubscribe link', async () => {
  await page.goto(`${base}/demo/mails`);
  await page.getByRole('button', { name: 'Send the demo newsletter' }).click();
  const newsletter = await mailTo(/spring newsletter/);
  const text = await newsletter.innerText();
  expect(text).toMatch(/List-Unsubscribe: <https?:\/\/[^>]+\/api\/consent\/unsubscribe\/[^>]+>/);
  expect(text).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  const unsubscribe = await newsletter
    .getByRole('link', { name: /\/api\/consent\/unsubscribe\// })
    .first()
    .getAttribute('href');
  expect(unsubscribe).toBeTruthy();
});

it('the admin sees the send under Consent → Messages: done, its progress bar full, one sent', async () => {
  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
  await page.goto(`${base}/admin/plugins/consent/messages`);
  await page.getByRole('heading', { name: 'Messages' }).first().waitFor();
  const row = page.locator('tbody tr', { hasText: /newsletter/i }).first();
  await row.getByText('Done').waitFor();
  const bar = row.getByRole('progressbar');
  await expect(bar.getAttribute('aria-label')).resolves.toMatch(/^(\d+) of \1 recipients handled$/);
  // A finished send shows a full bar in a colour that stands out from the white cell.
  await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('100');
  const fill = bar.locator('div').first();
  const [track, filled] = [await bar.boundingBox(), await fill.boundingBox()];
  expect(Math.round(filled!.width)).toBe(Math.round(track!.width));
  await expect(fill.evaluate((e) => getComputedStyle(e).backgroundColor)).resolves.not.toBe('rgb(255, 255, 255)');
  await expect(row.innerText()).resolves.toMatch(/[1-9]\d* sent, 0 skipped, 0 failed of [1-9]/);
  const dir = process.env.CONSENT_SCREENSHOT_DIR;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'admin-messages.png') });
  }
});

it('E3: the unsubscribe link from the newsletter unsubscribes with one click', async () => {
  const newsletter = await mailTo(/spring newsletter/);
  const unsubscribe = (await newsletter
    .getByRole('link', { name: /\/api\/consent\/unsubscribe\// })
    .first()
    .getAttribute('href'))!;
  await page.goto(unsubscribe);
  await page
    .getByRole('button', { name: /unsubscribe/i })
    .first()
    .click();
  await page.getByText('Done: you will not receive these messages any more.').waitFor();
});
