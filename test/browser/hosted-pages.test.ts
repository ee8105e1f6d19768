/**
 * The hosted pages in headless Chromium (issue 17, point 12): every page a visitor can reach, from the demo
 * form to the preference centre and the re-permission question, has no WCAG 2.2 AA violation that axe-core
 * finds (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa; every control labelled, contrast, language),
 * works with the keyboard alone (Tab to the control, Space ticks, Enter submits, the focus is visible) and
 * fits a 320 px wide screen without horizontal scrolling. The playground brands its pages (config `pages`):
 * the site's name and colour on every hosted page, nothing loaded from elsewhere (K1).
 * Set CONSENT_SCREENSHOT_DIR (e.g. docs/images) to keep screenshots of each page.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { renderPage } from '../../server/src/hosted-pages/layout';
import { invalidLinkPage, unsubscribedPage, unsubscribePage } from '../../server/src/hosted-pages/opt-out';
import { renewDonePage, renewGonePage, renewQuestionPage } from '../../server/src/hosted-pages/renewal';
import { submissionAcceptedPage, submissionErrorPage } from '../../server/src/hosted-pages/submission';
import { launchBrowser } from './browser';
import { startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let base: string;
const unique = Date.now().toString(36);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const shoot = async (page: Page, name: string) => {
  const dir = process.env.CONSENT_SCREENSHOT_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
};

/** The WCAG 2.2 AA rules axe-core checks, as `rule: node, node` lines, so a failure says what and where. */
const violations = async (page: Page) => {
  // Evaluated through the DevTools protocol: the pages' Content-Security-Policy rightly forbids inline scripts.
  await page.evaluate(AXE);
  const result = await page.evaluate(
    (tags) =>
      (
        window as unknown as {
          axe: {
            run: (
              c: Document,
              o: object
            ) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }>;
          };
        }
      ).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG_22_AA
  );
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

/** No horizontal scrolling at 320 CSS pixels (WCAG 1.4.10 Reflow); the viewport is put back after. */
const widthAt320 = async (page: Page) => {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (before) await page.setViewportSize(before);
  return width;
};

const expectAccessible = async (page: Page) => {
  await expect(violations(page)).resolves.toEqual([]);
  await expect(widthAt320(page)).resolves.toBeLessThanOrEqual(320);
};

/** What has the keyboard focus: its role-ish tag, type and accessible text, and whether a ring is drawn. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const label =
      el && 'labels' in el ? [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent).join(' ') : '';
    const style = el ? getComputedStyle(el) : null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      type: el?.getAttribute('type') ?? '',
      text: `${el?.textContent ?? ''} ${label}`.replace(/\s+/g, ' ').trim(),
      ring: !!style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });

/** Presses Tab until the focus is on a control whose text matches, as a keyboard user would. */
const tabTo = async (page: Page, tag: string, text: RegExp) => {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.tag === tag && text.test(now.text)) return now;
  }
  throw new Error(`Tab never reached a ${tag} matching ${text}`);
};

/** A visitor's browser (the seeded forms point at this run's address: playground/src/seed.js). */
const visitor = async (): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
};

describe('from the demo form to the preference centre, with the keyboard only', () => {
  let context: BrowserContext;
  let page: Page;
  const email = `kim-${unique}@example.com`;
  beforeAll(async () => {
    ({ context, page } = await visitor());
  });
  afterAll(() => context.close());

  it('the demo form: accessible, and sent by Tab, Space and Enter', async () => {
    await page.goto(`${base}/demo`);
    await expectAccessible(page);
    await shoot(page, 'demo-form');
    await tabTo(page, 'input', /Email/);
    await page.keyboard.type(email);
    await tabTo(page, 'input', /Newsletter by email/);
    await page.keyboard.press('Space');
    await expect(page.getByRole('checkbox', { name: 'Newsletter by email' }).isChecked()).resolves.toBe(true);
    await tabTo(page, 'button', /Send/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/demo\/thanks\?/);
  });

  it('the thanks page', async () => {
    await expect(page.locator('#check-mail').count()).resolves.toBe(1);
    await expectAccessible(page);
    await shoot(page, 'thanks');
  });

  it('K1: the confirmation page carries the site’s name and colour and loads nothing else; Enter on its button confirms', async () => {
    await page.goto(`${base}/demo/mails`);
    const link = await page.locator('article', { hasText: email }).first().getByRole('link').getAttribute('href');
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(r.url()));
    await page.goto(link!);
    expect(loaded.filter((url) => !url.startsWith(link!))).toEqual([]);
    await expect(page.locator('header.site').innerText()).resolves.toBe('Example Shop');
    await expect(page.title()).resolves.toBe('Confirm your request · Example Shop');
    await expect(
      page.getByRole('button', { name: 'Confirm' }).evaluate((b) => getComputedStyle(b).backgroundColor)
    ).resolves.toBe('rgb(11, 110, 79)');
    await expectAccessible(page);
    await shoot(page, 'confirm');
    const button = await tabTo(page, 'button', /Confirm/);
    expect(button.ring).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your request is confirmed' }).waitFor();
    await expectAccessible(page);
    await shoot(page, 'confirmed');
  });

  it('the preference centre: every box labelled, saved with the keyboard, and readable at 320 px', async () => {
    await tabTo(page, 'a', /preferences/i);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/api\/consent\/preferences\//);
    await expectAccessible(page);
    await shoot(page, 'preferences');
    await page.setViewportSize({ width: 320, height: 640 });
    await shoot(page, 'preferences-320');
    await page.setViewportSize({ width: 1024, height: 720 });
    const box = await tabTo(page, 'input', /receive this/);
    expect(box.ring).toBe(true);
    await page.keyboard.press('Space');
    await tabTo(page, 'button', /Save my choices/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').waitFor();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Your choices are saved.');
    await expectAccessible(page);
  });
});

it('a refused form: the error page in German is accessible', async () => {
  const { context, page } = await visitor();
  await page.goto(`${base}/demo?locale=de`);
  await page.getByRole('textbox', { name: 'E-Mail' }).fill(`lena-${unique}@example.com`);
  await page.getByLabel('Telefon (optional)').fill('12');
  await page.getByRole('checkbox', { name: 'Angebote per Telefon' }).check();
  await page.getByRole('button', { name: 'Absenden' }).click();
  await page.getByRole('heading', { name: 'Ihr Formular konnte nicht gesendet werden' }).waitFor();
  await expectAccessible(page);
  await context.close();
});

/**
 * The pages a test cannot reach through the playground in a few clicks (the re-permission question comes
 * by mail after three years; unsubscribe links come in marketing mails): the same functions the routes
 * call, rendered in Chromium, without branding (the default look) and with a logo and a site name.
 */
describe('every other hosted page', () => {
  const purposes = ['Newsletter by email', 'Partner offers'];
  const pages: Array<[name: string, html: string]> = [
    ['re-permission question', renewQuestionPage('en', '/api/consent/renew/t.s', purposes)],
    ['re-permission done', renewDonePage('fr', 'renewed', purposes)],
    ['re-permission gone', renewGonePage('de')],
    ['unsubscribe', unsubscribePage('en', '/api/consent/unsubscribe/t.s', purposes, '/api/consent/preferences/t.s')],
    ['unsubscribed', unsubscribedPage('de', '/api/consent/preferences/t.s')],
    ['invalid link', invalidLinkPage('fr')],
    [
      'thanks without a success URL',
      submissionAcceptedPage('en', 'rcpt_01JGZ8X8Y6M4Q9K0V7T3N2B1ZA-a-long-receipt-id', { newsletter: 'pending' }),
    ],
    [
      'refused submission',
      submissionErrorPage('fr', { status: 409, name: 'NoticeOutdated', paths: [], given: {} }, '/demo'),
    ],
  ];

  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
    // The branded variant's logo, served as a site would from its own server (a path, not another origin).
    await context.route('**/logo.svg', (route) =>
      route.fulfill({
        contentType: 'image/svg+xml',
        body: '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32"><rect width="120" height="32" rx="6" fill="#0b6e4f"/></svg>',
      })
    );
    page = await context.newPage();
    await page.goto(`${base}/demo`);
  });
  afterAll(() => context.close());

  it('the check itself finds what it should: an unlabelled box, a page without a language, and overflow', async () => {
    await page.setContent(
      '<html><head><title>x</title></head><body><input type="checkbox"><div style="width: 400px">wide</div></body></html>'
    );
    const found = (await violations(page)).map((v) => v.split(':')[0]);
    expect(found).toEqual(expect.arrayContaining(['html-has-lang', 'label']));
    await expect(widthAt320(page)).resolves.toBeGreaterThan(320);
  });

  it.each(pages)('%s, default look', async (name, html) => {
    await page.setContent(html);
    await expectAccessible(page);
    if (name === 're-permission question') await shoot(page, 're-permission');
  });

  it.each(pages)('%s, with a logo, a site name and a colour', async (_, html) => {
    const [, language, title, body] = /<html lang="(\w+)">[\s\S]*<h1>([^<]*)<\/h1>\n([\s\S]*)\n<\/main>/.exec(html)!;
    await page.setContent(
      renderPage({ siteName: 'Example Shop', logoUrl: '/logo.svg', accentColor: '#7c2d12' }, language, title, body)
    );
    await page.locator('header.site img').evaluate((img: HTMLImageElement) => img.decode());
    await expectAccessible(page);
  });
});
