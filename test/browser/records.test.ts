/**
 * An auditor's session in the ledger explorer, in headless Chromium against the playground (issue 7; spec
 * 4.3): a person signs up on the demo form, then the admin finds them by email, opens their timeline and
 * reads the notice text behind an event, exports the ledger as CSV and the person's record as JSON, erases
 * another person after confirming, verifies the chain, and sees the dashboard and the home-page widget.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ADMIN, startPlayground, type PlaygroundServer } from './playground-server';

let server: PlaygroundServer | undefined;
let browser: Browser;
let page: Page;
let base: string;

const unique = Date.now().toString(36);
const email = `ada-${unique}@example.com`;
let pseudonym: string;

/** A person, through the public route as the demo page would post it: two refusals and a telephone grant. */
const signUp = async (address: string) => {
  const form = await (await fetch(`${base}/api/consent/forms/demo?locale=en`)).json();
  const notice = (key: string) => {
    const { version, hash } = form.data.purposes.find((p: { key: string }) => p.key === key).notice;
    return { version, hash };
  };
  const res = await fetch(`${base}/api/consent/submissions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Origin: base },
    body: JSON.stringify({
      form: 'demo',
      locale: 'en',
      subject: { email: address, phone: `+33612${String(Date.now()).slice(-6)}` },
      choices: { newsletter: false, 'partner-offers': false, 'phone-prospecting': true },
      notices: {
        newsletter: notice('newsletter'),
        'partner-offers': notice('partner-offers'),
        'phone-prospecting': notice('phone-prospecting'),
      },
    }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`submission failed (${res.status}): ${JSON.stringify(body)}`);
  return body.data.receipt.piiPrincipalId as string;
};

beforeAll(async () => {
  server = await startPlayground();
  base = server.url;

  pseudonym = await signUp(email);

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.setDefaultTimeout(20_000);
  // Building the plugin and the playground's admin takes one to three minutes, more on a busy machine.
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('logs into the admin', async () => {
  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
});

it('finds the person by email and opens their timeline, with the notice text behind an event', async () => {
  await page.goto(`${base}/admin/plugins/consent/ledger`);
  await page.getByLabel('Find a person').fill(email.toUpperCase());
  await page.getByRole('button', { name: 'Open record' }).click();
  await page.waitForURL(`**/plugins/consent/subjects/${pseudonym}`);
  await page.getByTestId('subject-email').getByText(email).waitFor();

  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('li')).toHaveCountEventually(3);
  const grant = timeline.locator('li[data-action="granted"]');
  await grant.getByText('phone-prospecting', { exact: false }).waitFor();
  await grant.getByRole('button', { name: /^Notice v1 \(en\)/ }).click();
  const text = grant.getByTestId('notice-text');
  await text.getByText('Offers by telephone').waitFor();
  await text.getByText('I agree that Example Shop SAS may call me about its offers.', { exact: false }).waitFor();
  await text.getByText(/Content hash: [0-9a-f]{64}/).waitFor();
});

it('filters the ledger by that email, follows the pseudonym link, and exports the selection as CSV', async () => {
  await page.goto(`${base}/admin/plugins/consent/ledger`);
  await page.getByLabel('Email or pseudonym').fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL((url) => url.searchParams.get('who') === email);
  const table = page.getByTestId('ledger-table');
  await expect(table.locator('tbody tr')).toHaveCountEventually(3);
  await page.getByTestId('ledger-pagination').getByText('3 events', { exact: false }).waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^consent-events-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0].startsWith('seq,eventId,occurredAt,subject,purpose,channel,action,state')).toBe(true);
  expect(lines).toHaveLength(4);
  expect(lines.slice(1).every((l) => l.includes(`,${pseudonym},`))).toBe(true);
  // The pseudonym is the only identifier an export carries.
  expect(csv).not.toContain(email);

  await table.getByRole('link', { name: pseudonym }).first().click();
  await page.waitForURL(`**/plugins/consent/subjects/${pseudonym}`);
});

it("exports the person's record (Art. 15) from their page", async () => {
  await page.goto(`${base}/admin/plugins/consent/subjects/${pseudonym}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export', exact: true }).click(),
  ]);
  const record = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(record.subject).toMatchObject({ pseudonym, email });
});

it('erases a person after confirming: the identifiers go, the pseudonymous timeline stays', async () => {
  const other = await signUp(`eve-${unique}@example.com`);
  await page.goto(`${base}/admin/plugins/consent/subjects/${other}`);
  await page.getByRole('button', { name: 'Erase', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByText('deleted for good', { exact: false }).waitFor();
  await dialog.getByRole('button', { name: 'Erase' }).click();
  await page.getByText(/^Erased on /).waitFor();
  expect(await page.getByTestId('subject-email').textContent()).toBe('—');
  expect(await page.getByTestId('timeline').locator('li').count()).toBeGreaterThanOrEqual(3);
});

it('verifies the ledger and sees that it is intact', async () => {
  await page.goto(`${base}/admin/plugins/consent/ledger`);
  await page.getByRole('button', { name: 'Verify ledger' }).click();
  const result = page.getByTestId('verify-result');
  await result.waitFor();
  expect(await result.getAttribute('data-ok')).toBe('true');
  expect(await result.textContent()).toMatch(
    /^OK: the ledger is intact \(\d+ events checked\)\.Started from the (first event|signed checkpoint at event \d+)/
  );
  // The full verification starts from the first event, whatever checkpoint the first one left.
  await page.getByRole('button', { name: 'Full verification' }).click();
  await page.getByText('Started from the first event').waitFor();
  expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');
});

it('the dashboard charts the telephone grant', async () => {
  await page.goto(`${base}/admin/plugins/consent/dashboard`);
  const card = page.getByTestId('dashboard-phone-prospecting');
  await card.locator('svg[role="img"]').waitFor();
  await card.getByText(/^Grants: [1-9]\d*$/).waitFor();
});

it('the home page shows the last 7 days in the consent widget', async () => {
  await page.goto(`${base}/admin`);
  await page.getByText('Consent, last 7 days').waitFor();
  const widget = page.getByTestId('consent-widget');
  await widget.getByText('Grants').waitFor();
});

it('subscribes a webhook to consent events from Settings → Consent, and changes its events in place (D7)', async () => {
  const name = `CRM ${unique}`;
  await page.goto(`${base}/admin/settings/consent`);
  const panel = page.getByTestId('consent-webhooks');
  await panel.getByText('Webhooks for consent events').waitFor();
  await panel.getByLabel('Name').fill(name);
  await panel.getByLabel('URL').fill('https://crm.example/hooks/consent');
  // Nothing ticked: refused in the page, nothing created.
  await panel.getByRole('button', { name: 'Create webhook' }).click();
  await panel.getByText('Pick at least one event.').waitFor();
  const newForm = panel.locator('form');
  await newForm.getByRole('checkbox', { name: 'consent.withdrawn' }).click();
  await newForm.getByRole('checkbox', { name: 'consent.objected' }).click();
  await panel.getByRole('button', { name: 'Create webhook' }).click();
  await page.getByText('Webhook created.').waitFor();

  // Read back from Strapi's webhook store after a reload: the row lists the two events, ticked.
  await page.reload();
  const row = panel.locator('li', { hasText: name });
  await row.waitFor();
  expect(await row.getByRole('checkbox', { name: 'consent.withdrawn' }).getAttribute('aria-checked')).toBe('true');
  expect(await row.getByRole('checkbox', { name: 'consent.granted' }).getAttribute('aria-checked')).toBe('false');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/admin/webhooks/') && r.request().method() === 'PUT'),
    row.getByRole('checkbox', { name: 'consent.granted' }).click(),
  ]);
  await page.reload();
  await panel.locator('li', { hasText: name }).waitFor();
  const after = panel.locator('li', { hasText: name });
  for (const event of ['consent.granted', 'consent.withdrawn', 'consent.objected']) {
    expect([event, await after.getByRole('checkbox', { name: event }).getAttribute('aria-checked')]).toEqual([
      event,
      'true',
    ]);
  }
});

it('lists a delivery the receiver did not take in the panel, with its error and attempts (D7)', async () => {
  // The webhook above posts to crm.example, a name that never resolves: the next grant's delivery fails
  // its first attempt and waits for the next one (30 s later by default).
  await signUp(`bea-${unique}@example.com`);
  await page.goto(`${base}/admin/settings/consent`);
  const failures = page.getByTestId('webhook-failures');
  await failures.getByText('Failed deliveries').waitFor();
  const row = failures.locator('tr', { hasText: 'consent.granted' });
  for (let i = 0; i < 50 && (await row.count()) === 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.reload();
    await failures.getByText('Failed deliveries').waitFor();
  }
  await row.first().waitFor();
  await row.first().getByText('retrying').waitFor();
  await row
    .first()
    .getByText(/fetch failed/)
    .waitFor();
  expect(await row.first().locator('td').nth(3).innerText()).toBe('1');
});

/** Polls a locator's count (playwright-core ships no test runner's `expect`). */
declare global {
  namespace jest {
    interface Matchers<R> {
      toHaveCountEventually(n: number): Promise<R>;
    }
  }
}
expect.extend({
  async toHaveCountEventually(locator: { count(): Promise<number> }, n: number) {
    const deadline = Date.now() + 20_000;
    let count = await locator.count();
    while (count !== n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      count = await locator.count();
    }
    return { pass: count === n, message: () => `expected ${n} elements, found ${count}` };
  },
});
