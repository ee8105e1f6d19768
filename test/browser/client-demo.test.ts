/**
 * The front-end client in headless Chromium against the playground (issue 8): the /demo/client page
 * renders the form with `strapi-plugin-consent/client`; a visitor ticks one of two purposes and gets a
 * receipt while the other is recorded refused (A1–A4, A8) and nothing is stored in the browser (K1); a
 * notice published while the page is open is shown and asked again, never resubmitted (409); the plain
 * /demo page submits with JavaScript off; and a browser sending GPC records the objection (F1).
 * What was recorded is read back through the admin's ledger API.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { adminLogin, startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let base: string;
let adminToken: string;

const unique = Date.now().toString(36);

const admin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(json)}`);
  return json.data;
};

/** The ledger events recorded for a person, read through the admin API (records.read). */
const eventsOf = async (
  email: string
): Promise<{ purpose: string; action: string; method: string; noticeVersion: number | null }[]> =>
  admin('GET', `/consent/events?email=${encodeURIComponent(email)}&pageSize=100`);

/** Purpose → "action/method" of the person's events (each test records at most one per purpose). */
const decisions = async (email: string) =>
  Object.fromEntries((await eventsOf(email)).map((e) => [e.purpose, `${e.action}/${e.method}`]));

/** K1: no cookie (HttpOnly ones included) and nothing in web storage. */
const expectNothingStored = async (context: BrowserContext, page: Page) => {
  expect(await context.cookies()).toEqual([]);
  expect(
    await page.evaluate(() => ({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length }))
  ).toEqual({ cookie: '', local: 0, session: 0 });
};

const openClientDemo = async (context: BrowserContext, form = 'contact', locale = 'en') => {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${base}/demo/client?form=${form}&locale=${locale}`);
  await page.locator('fieldset.consent-purpose').first().waitFor();
  return page;
};

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;
  adminToken = await adminLogin(base);
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('A1–A4, A8, K1: a visitor ticks one of two purposes; the receipt shows and the other is recorded refused', async () => {
  const context = await browser.newContext();
  const page = await openClientDemo(context);
  const email = `client-${unique}@example.com`;

  // A2, A8: two purposes, each its own unticked box, styled alike; no accept-all, one button.
  const boxes = page.getByRole('checkbox');
  await expect(boxes.count()).resolves.toBe(2);
  for (const box of await boxes.all()) expect(await box.isChecked()).toBe(false);
  const looks = await page.$$eval('fieldset.consent-purpose', (sets) =>
    sets.map((set) => {
      const style = (el: Element | null, props: string[]) => {
        const s = getComputedStyle(el as Element);
        return props.map((p) => s.getPropertyValue(p)).join(' ');
      };
      const text = ['font-size', 'font-weight', 'color'];
      // The box and its title look the same for every purpose; the frame too (its height follows the text).
      return [
        style(set.querySelector('input'), [...text, 'width', 'height']),
        style(set.querySelector('label strong'), text),
        style(set, [...text, 'border-top-width', 'border-top-color', 'padding-top', 'width']),
      ];
    })
  );
  expect(looks[1]).toEqual(looks[0]);
  await expect(page.getByRole('button').count()).resolves.toBe(1);
  await expectNothingStored(context, page);

  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('checkbox', { name: 'Offers from our partners' }).check();
  await page.getByRole('button', { name: 'Send' }).click();

  await expect(page.locator('#receipt').textContent()).resolves.toMatch(/\S/);
  // Issue 17: what was recorded, in the words the person read (the notice titles), not keys and states.
  await expect(page.locator('[data-state="partner-offers"]').textContent()).resolves.toBe(
    'Offers from our partners: yes, recorded.'
  );
  await expect(page.locator('[data-state="newsletter"]').textContent()).resolves.toBe(
    'Newsletter by email: no, recorded.'
  );
  expect(await page.locator('#status').textContent()).not.toMatch(/partner-offers|granted|refused/);
  // The form is cleared for the next person; the result stays.
  expect(await page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe('');
  await page.getByRole('checkbox').first().waitFor();
  for (const box of await page.getByRole('checkbox').all()) expect(await box.isChecked()).toBe(false);
  await expectNothingStored(context, page);

  expect(await decisions(email)).toEqual({ 'partner-offers': 'granted/form', newsletter: 'refused/form' });
  await context.close();
});

it('issue 17: a purpose with double opt-in says the confirmation mail is sent, in the page’s language', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${base}/demo/client?form=contact&locale=de`);
  await page.locator('fieldset.consent-purpose').first().waitFor();
  const email = `doi-${unique}@example.com`;
  await page.getByRole('textbox', { name: 'E-Mail' }).fill(email);
  const newsletter = page.locator('fieldset[data-purpose="newsletter"] input[type=checkbox]');
  await newsletter.check();
  const title = await page.locator('fieldset[data-purpose="newsletter"] label').first().textContent();
  await page.getByRole('button', { name: 'Absenden' }).click();
  await page.locator('#receipt').waitFor();
  await expect(page.locator('[data-state="newsletter"]').textContent()).resolves.toBe(
    `${title}: Bestätigungs-E-Mail gesendet. Bitte klicken Sie auf den Link darin, um zu bestätigen.`
  );
  await expect(page.locator('[data-state="partner-offers"]').textContent()).resolves.toMatch(/: nein, gespeichert\.$/);
  expect(await page.getByRole('textbox', { name: 'E-Mail' }).inputValue()).toBe('');
  expect(await newsletter.isChecked()).toBe(false);
  const dir = process.env.CONSENT_SCREENSHOT_DIR;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: `${dir}/client-demo-result-de.png`, fullPage: true });
  }
  expect(await decisions(email)).toEqual({ newsletter: 'requested/form', 'partner-offers': 'refused/form' });
  await context.close();
});

it('A8: in French, a label and what it names are set apart as French writes it (no-break space, colon)', async () => {
  const context = await browser.newContext();
  const page = await openClientDemo(context, 'demo', 'fr');
  const small = await page.locator('fieldset.consent-purpose .consent-small').allTextContents();
  expect(small).toContain('Données\u00a0: adresse e-mail');
  expect(small.join(' ')).not.toMatch(/\S: /);
  await context.close();
});

it('shows the server’s field errors at their fields, with no receipt, keeping the person’s choices', async () => {
  const context = await browser.newContext();
  const page = await openClientDemo(context);
  const email = `typo-${unique}@example`;
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('checkbox', { name: 'Newsletter by email' }).check();
  await page.getByRole('button', { name: 'Send' }).click();
  // The element is always there (empty until an error): wait for the message itself.
  await page.locator('[id="error-subject.email"]', { hasText: /subject\.email .*email address/ }).waitFor();
  await expect(page.locator('#receipt').count()).resolves.toBe(0);
  // The person's tick is kept while they correct the address.
  expect(await page.getByRole('checkbox', { name: 'Newsletter by email' }).isChecked()).toBe(true);
  await context.close();
});

it('A9: a notice published while the page is open is shown and asked again; nothing is recorded until the person sends again', async () => {
  const context = await browser.newContext();
  const page = await openClientDemo(context);
  const email = `reask-${unique}@example.com`;
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('checkbox', { name: 'Newsletter by email' }).check();
  await page.getByRole('checkbox', { name: 'Offers from our partners' }).check();

  // An editor publishes a material change of the partner notice meanwhile.
  const [current] = (await admin('GET', '/consent/notices?purpose=partner-offers&locale=en')).filter(
    (n: { status: string }) => n.status === 'published'
  );
  const draft = await admin('POST', '/consent/notices', {
    purpose: 'partner-offers',
    locale: 'en',
    title: 'Offers from our partners, now by SMS too',
    body: `${current.body} (revised ${unique})`,
    dataCategories: current.dataCategories,
    recipients: current.recipients,
    privacyPolicyUrl: current.privacyPolicyUrl,
    material: true,
  });
  await admin('POST', `/consent/notices/${draft.id}/publish`);

  await page.getByRole('button', { name: 'Send' }).click();
  const changed = page.locator('fieldset[data-purpose="partner-offers"][data-changed]');
  await changed.waitFor();
  await expect(changed.locator('label').textContent()).resolves.toBe('Offers from our partners, now by SMS too');
  await expect(changed.textContent()).resolves.toContain(`(revised ${unique})`);
  await expect(changed.locator('.consent-changed').textContent()).resolves.toMatch(/has changed/);
  // The changed purpose is asked again; the other choice is kept.
  expect(await page.getByRole('checkbox', { name: 'Offers from our partners, now by SMS too' }).isChecked()).toBe(
    false
  );
  expect(await page.getByRole('checkbox', { name: 'Newsletter by email' }).isChecked()).toBe(true);
  await expect(page.locator('#status').textContent()).resolves.toMatch(/nothing was recorded/);
  expect(await eventsOf(email)).toEqual([]);

  // The person reads it and ticks it again: recorded under the new version.
  await page.getByRole('checkbox', { name: 'Offers from our partners, now by SMS too' }).check();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('#receipt').waitFor();
  const partner = (await eventsOf(email)).find((e) => e.purpose === 'partner-offers');
  expect(partner).toMatchObject({ action: 'granted', noticeVersion: draft.version });
  await context.close();
});

it('the plain HTML page submits with JavaScript off (urlencoded)', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  // Watch the post go by (the seeded form points at this run's address: playground/src/seed.js).
  let posted: { status: number; type?: string; origin?: string } | undefined;
  await context.route(`${base}/api/consent/submissions`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const sent = await route.request().allHeaders();
    posted = { status: response.status(), type: sent['content-type'], origin: sent.origin };
    await route.fulfill({ response });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const email = `nojs-${unique}@example.com`;
  await page.goto(`${base}/demo?locale=en`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Telephone (optional)').fill(`+3361${String(Date.now()).slice(-7)}`);
  await page.getByRole('checkbox', { name: 'Offers by telephone' }).check();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(/\/demo\/thanks\?receipt=/);
  await expect(page.locator('#receipt').textContent()).resolves.toMatch(/\S/);
  // A real browser names the page's origin (not "null") on the post, so the origin check lets it through.
  expect(posted).toEqual({ status: 303, type: 'application/x-www-form-urlencoded', origin: base });

  expect(await decisions(email)).toMatchObject({
    'phone-prospecting': 'granted/form',
    newsletter: 'refused/form',
    'partner-offers': 'refused/form',
  });
  await context.close();
});

it('F1: a browser sending GPC sees that it is honoured, and its objection is recorded', async () => {
  const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  await context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true })
  );
  const page = await openClientDemo(context);
  const email = `gpc-${unique}@example.com`;
  await expect(page.locator('.consent-gpc').textContent()).resolves.toMatch(/Global Privacy Control/);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('#receipt').waitFor();

  const events = await eventsOf(email);
  for (const purpose of ['newsletter', 'partner-offers']) {
    expect(events).toContainEqual(expect.objectContaining({ purpose, action: 'objected', method: 'signal' }));
  }
  await context.close();
});

describe('G1, G2: a form offered to children asks for age before the choices', () => {
  const kids = `kids-${unique}`;
  beforeAll(async () => {
    await admin('POST', '/consent/forms', {
      key: kids,
      name: 'Kids club',
      purposes: ['newsletter'],
      offeredToChildren: true,
      allowedOrigins: [new URL(base).origin],
    });
  });

  /** Whether `a` comes before `b` in the document. */
  const before = (page: Page, a: string, b: string) =>
    page.evaluate(
      ([x, y]) =>
        !!(
          document.querySelector(x)!.compareDocumentPosition(document.querySelector(y)!) &
          Node.DOCUMENT_POSITION_FOLLOWING
        ),
      [a, b]
    );

  it('the client shows the age question first, and the parent address once the age is below the threshold', async () => {
    const context = await browser.newContext();
    const page = await openClientDemo(context, kids);
    const age = page.getByRole('spinbutton', { name: 'Your age' });
    await expect(age.isVisible()).resolves.toBe(true);
    await expect(before(page, 'input[name=age]', 'fieldset.consent-purpose')).resolves.toBe(true);
    const parent = page.getByRole('textbox', { name: 'Email address of a parent or guardian' });
    await expect(parent.isVisible()).resolves.toBe(false);
    await age.fill('12');
    await expect(parent.isVisible()).resolves.toBe(true);
    // Typing never rebuilds the fields: the age input keeps the focus.
    await expect(age.evaluate((node) => node === document.activeElement)).resolves.toBe(true);
    await age.fill('16');
    await expect(parent.isVisible()).resolves.toBe(false);
    await context.close();
  });

  it('the plain HTML page asks for age (and a parent address) before the choices, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/demo?form=${kids}&locale=en`);
    await expect(page.getByRole('spinbutton', { name: 'Your age' }).isVisible()).resolves.toBe(true);
    await expect(before(page, 'input[name=age]', 'input[name="choices[newsletter]"]')).resolves.toBe(true);
    await expect(before(page, 'input[name=parentEmail]', 'input[name="choices[newsletter]"]')).resolves.toBe(true);
    await context.close();
  });
});
