/**
 * A visitor's way through the hosted pages in headless Chromium, without JavaScript, against the
 * playground (issue 17, points 8–11): a French sign-up lands on a French thanks page that says to check
 * the mailbox; a German form with a number that does not parse gets a German sentence; the confirmation
 * mail and pages name the purpose as the form did, the confirmed page says so and leads to the preference
 * centre, which shows whose preferences these are (masked) in labelled fieldsets. Screenshots of each
 * page go to CONSENT_SHOTS_DIR (default /tmp/consent-visitor-shots). Requirements B2, D5.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let base: string;
const unique = Date.now().toString(36);
const SHOTS = process.env.CONSENT_SHOTS_DIR ?? '/tmp/consent-visitor-shots';

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** A browser with JavaScript off, as a visitor without it (the seeded forms point at this run: playground/src/seed.js). */
const visitor = async (): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
};

const email = `chloe-${unique}@example.com`;

it('point 8: after a French sign-up the thanks page is French and says to confirm by mail, naming the purpose', async () => {
  const { context, page } = await visitor();
  await page.goto(`${base}/demo?locale=fr`);
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await page.getByRole('checkbox', { name: 'Lettre d’information par e-mail' }).check();
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.waitForURL(/\/demo\/thanks\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get('locale')).toBe('fr');
  expect(url.searchParams.get('pending')).toBe('newsletter');
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
  await expect(page.locator('h1').textContent()).resolves.toBe('Merci : vos choix sont enregistrés.');
  await expect(page.locator('#check-mail').textContent()).resolves.toContain('consultez votre boîte aux lettres');
  // French typography: a no-break space before every colon, the receipt's and the mail line's too.
  await expect(page.locator('#check-mail').textContent()).resolves.toMatch(/pour confirmer\u00a0:$/);
  await expect(page.locator('#receipt').locator('xpath=..').textContent()).resolves.toMatch(/^Reçu\u00a0: \S+$/);
  await expect(page.locator('li').allTextContents()).resolves.toEqual(['Lettre d’information par e-mail']);
  await shot(page, 'thanks-fr');
  await context.close();
});

it('point 9: a German form with a number that does not parse gets a German sentence, not the field name', async () => {
  const { context, page } = await visitor();
  await page.goto(`${base}/demo?locale=de`);
  await page.getByRole('textbox', { name: 'E-Mail' }).fill(`dora-${unique}@example.com`);
  await page.getByLabel('Telefon (optional)').fill('12');
  await page.getByRole('checkbox', { name: 'Angebote per Telefon' }).check();
  await page.getByRole('button', { name: 'Absenden' }).click();
  await page.waitForURL(`${base}/api/consent/submissions`);
  await expect(page.locator('h1').textContent()).resolves.toBe('Ihr Formular konnte nicht gesendet werden');
  const text = await page.locator('body').innerText();
  expect(text).toContain('Die Telefonnummer scheint nicht zu stimmen.');
  expect(text).not.toMatch(/subject|phone/);
  await expect(page.getByRole('link', { name: 'Zurück zum Formular' }).getAttribute('href')).resolves.toBe(
    `${base}/demo?locale=de`
  );
  await shot(page, 'error-de');
  await context.close();
});

describe('points 10 and 11: from the mail to the preference centre', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ({ context, page } = await visitor());
  });
  afterAll(() => context.close());

  it('B2: the mail names the purpose as the French form did, and its only link is the confirmation', async () => {
    await page.goto(`${base}/demo/mails`);
    const mail = page.locator('article', { hasText: email }).first();
    const text = await mail.locator('pre').innerText();
    expect(text).toContain('- Lettre d’information par e-mail');
    expect(text.match(/https?:\/\/\S+/g)).toHaveLength(1);
    await mail.getByRole('link').click();
    await page.waitForURL(/\/api\/consent\/confirm\//);
    await expect(page.locator('h1').textContent()).resolves.toBe('Confirmez votre demande');
    await expect(page.locator('li').allTextContents()).resolves.toEqual(['Lettre d’information par e-mail']);
    await shot(page, 'confirm-fr');
  });

  it('point 10: once confirmed the heading changes and the preference centre is one link away', async () => {
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Votre demande est confirmée');
    await expect(page.locator('li').allTextContents()).resolves.toEqual(['Lettre d’information par e-mail']);
    await shot(page, 'confirmed-fr');
    await page.getByRole('link', { name: 'Gérer mes préférences' }).click();
    await page.waitForURL(/\/api\/consent\/preferences\//);
  });

  it('D5, point 11: the preference centre shows whose preferences these are, masked, in labelled fieldsets', async () => {
    await expect(page.locator('h1').textContent()).resolves.toBe('Vos préférences');
    await expect(page.locator('.whose').innerText()).resolves.toBe(`Préférences de c***@example.com`);
    expect(await page.locator('body').innerText()).not.toContain(email);
    const legends = await page.locator('fieldset legend').allTextContents();
    expect(legends).toContain('Lettre d’information par e-mail');
    expect(legends.length).toBeGreaterThanOrEqual(3);
    // Every box is reachable by its label, inside the fieldset that names the purpose.
    const boxes = page.locator('fieldset input[type=checkbox]');
    for (let i = 0; i < (await boxes.count()); i++) {
      const id = await boxes.nth(i).getAttribute('id');
      await expect(page.locator(`label[for="${id}"]`).count()).resolves.toBe(1);
    }
    const newsletter = page.getByRole('group', { name: 'Lettre d’information par e-mail' });
    await expect(
      newsletter.getByRole('checkbox', { name: 'Oui, je souhaite recevoir ceci' }).isChecked()
    ).resolves.toBe(true);
    await shot(page, 'preferences-fr');
    await page.setViewportSize({ width: 320, height: 800 });
    await shot(page, 'preferences-fr-320');
  });

  it('saving says it is done and what it means', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('group', { name: 'Lettre d’information par e-mail' }).getByRole('checkbox').uncheck();
    await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Vos choix sont enregistrés.');
    await expect(
      page.getByRole('group', { name: 'Lettre d’information par e-mail' }).getByRole('checkbox').isChecked()
    ).resolves.toBe(false);
    await shot(page, 'preferences-saved-fr');
  });
});
