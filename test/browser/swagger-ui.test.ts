/**
 * The consent routes in the documentation plugin's Swagger UI (issue 18), in headless Chromium: the page
 * `/documentation/v1.0.0` of an app with `@strapi/plugin-documentation` lists them under our tags, and an
 * opened route shows its request body. The app boots in-process from the sources (no build needed); the
 * document itself is checked in test/integration/documentation-plugin.test.ts.
 */
import type { Browser } from 'playwright-core';
import { bootWithDocumentation, type DocumentedStrapi } from '../harness/documentation';
import { launchBrowser } from './browser';
import { freePort } from './playground-server';

let app: DocumentedStrapi;
let browser: Browser;
let base: string;

beforeAll(async () => {
  // The page loads Swagger UI's scripts from the server's own URL, so the app must know its port.
  const port = await freePort();
  app = await bootWithDocumentation({}, { PORT: String(port) });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${port}`;
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it('Swagger UI lists the consent routes and shows a submission’s body', async () => {
  const page = await browser.newPage();
  try {
    const failures: string[] = [];
    page.on('console', (m) => m.type() === 'error' && failures.push(m.text()));
    page.on('requestfailed', (r) => failures.push(`${r.url()}: ${r.failure()?.errorText}`));
    await page.goto(`${base}/documentation/v1.0.0`);
    // The page opens with every tag folded: ours sit beside the site's, and unfold on a click.
    await page.locator('.opblock-tag', { hasText: 'Public (no Strapi auth' }).click();
    const submissions = page.locator('.opblock-summary', { hasText: '/consent/submissions' });
    await submissions
      .first()
      .waitFor()
      .catch(async (error) => {
        const text = (await page.locator('body').innerText()).slice(0, 500);
        throw new Error(`${(error as Error).message}\nfailures: ${failures.join('; ')}\npage: ${text}`);
      });
    await page.locator('.opblock-tag', { hasText: 'Server-to-server' }).click();
    await page.locator('.opblock-summary-path', { hasText: '/consent/eligibility' }).first().waitFor();

    await submissions.first().click();
    const body = page.locator('.opblock.is-open .opblock-section-request-body');
    await body.waitFor();
    await expect(body.innerText()).resolves.toContain('subject');
    expect(failures).toEqual([]);
  } finally {
    await page.close();
  }
});
