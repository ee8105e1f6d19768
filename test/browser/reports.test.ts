/**
 * Consent → Reports in headless Chromium against the playground (issue 22, R1, R3): the admin picks a
 * period and a purpose, generates a report, sees it listed, and downloads its JSON, which the offline
 * verifier accepts with the published key set, and its PDF, which states the same SHA-256. Set
 * CONSENT_SCREENSHOT_DIR to keep a screenshot of the page.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../harness/pdf-text';
import { launchBrowser } from './browser';
import { ADMIN, startPlayground, type PlaygroundServer } from './playground-server';

const CLI = path.resolve(__dirname, '../harness/verify-cli.js');

let server: PlaygroundServer | undefined;
let browser: Browser;
let page: Page;
let base: string;
let dir: string;

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page.setDefaultTimeout(20_000);
  dir = fs.mkdtempSync(path.join(tmpdir(), 'consent-report-browser-'));
  // Building the plugin and the playground's admin takes one to three minutes, more on a busy machine.
}, 600_000);

afterAll(async () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await browser?.close();
  await server?.stop();
});

const download = async (name: string) => {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name, exact: true }).first().click(),
  ]);
  return { name: file.suggestedFilename(), body: fs.readFileSync((await file.path())!) };
};

it('logs into the admin', async () => {
  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
});

it('shows the period labels whole: no ellipsis, inside their field', async () => {
  await page.goto(`${base}/admin/plugins/consent/reports`);
  for (const [cell, label] of [
    ['period-from', 'From (UTC day)'],
    ['period-to', 'To (UTC day, included)'],
  ]) {
    const text = page.getByTestId(cell).getByText(label, { exact: true });
    await text.waitFor();
    // The design system's labels clip with an ellipsis: the text is whole when nothing overflows.
    const { scrollWidth, clientWidth } = await text.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    }));
    expect({ label, scrollWidth }).toEqual({ label, scrollWidth: clientWidth });
    const box = (await text.boundingBox())!;
    const field = (await page.getByTestId(cell).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(field.x);
    expect(box.x + box.width).toBeLessThanOrEqual(field.x + field.width + 0.5);
  }
});

it('R1: generates a report for a purpose over the default period and lists it', async () => {
  await page.goto(`${base}/admin/plugins/consent/reports`);
  await page.getByRole('heading', { name: 'Reports' }).first().waitFor();
  const generate = page.getByRole('button', { name: 'Generate report' });
  // Nothing to report on until a purpose is ticked.
  expect(await generate.isDisabled()).toBe(true);
  await page
    .getByRole('group', { name: 'Purposes' })
    .getByRole('checkbox', { name: /\(newsletter\)/ })
    .click();
  await generate.click();
  await page.getByText('Report generated and signed').waitFor();
  const row = page.locator('tbody tr').first();
  await row.getByText('newsletter').waitFor();
  const dir = process.env.CONSENT_SCREENSHOT_DIR;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'admin-reports.png') });
  }
});

it('R3: the JSON download verifies offline with the published key set, and the PDF states its SHA-256', async () => {
  const json = await download('JSON');
  expect(json.name).toMatch(/^consent-report-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.json$/);
  const reportFile = path.join(dir, 'report.json');
  const jwksFile = path.join(dir, 'jwks.json');
  fs.writeFileSync(reportFile, json.body);
  fs.writeFileSync(jwksFile, await (await fetch(`${base}/api/consent/jwks.json`)).text());
  const run = spawnSync(process.execPath, [CLI, 'verify', reportFile, '--jwks', jwksFile], { encoding: 'utf8' });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  const hash = /SHA-256 of the signed JSON: ([0-9a-f]{64})/.exec(run.stdout)![1];

  const pdf = await download('PDF');
  expect(pdf.name).toMatch(/\.pdf$/);
  expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdfText(pdf.body)).toContain(hash);
  // The list shows the start of the same hash.
  await page
    .locator('tbody tr')
    .first()
    .getByText(`${hash.slice(0, 16)}…`)
    .waitFor();
});
