/**
 * Rate limits on the public routes (spec 4.1; B6): per client and per identifier, counted in the database
 * so that every instance shares them, answering 429 with Strapi's error body and writing nothing.
 */
import { rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let notices: Record<string, { version: number; hash: string }>;

beforeAll(async () => {
  app = await bootStrapi({ pluginConfig: { rateLimit: { max: 6, windowSeconds: 3600, perIdentifier: 2 } } });
  notices = shownNotices(await setupForm(app.strapi, ['newsletter']));
});
afterAll(() => app?.stop());

const submit = (email: string, ip: string) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set({ Origin: 'https://shop.example', 'X-Forwarded-For': ip })
    .send({ form: 'signup', subject: { email }, choices: { newsletter: true }, notices });

it('B6: the same address is accepted perIdentifier times per window, then 429 with nothing written', async () => {
  expect((await submit('target@example.com', '10.0.0.1')).status).toBe(201);
  expect((await submit('TARGET@example.com', '10.0.0.1')).status).toBe(201);
  const before = await rowCounts(app.strapi);
  const res = await submit('target@example.com', '10.0.0.1');
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
  expect(await rowCounts(app.strapi)).toEqual(before);
});

it('a client is limited to max requests per window, whatever the address; the counters live in the database', async () => {
  const statuses: number[] = [];
  // Three of the six were spent above. X-Forwarded-For is not trusted unless Strapi's server.proxy says
  // so, so a spoofed header does not make a new client.
  for (let i = 0; i < 4; i++) statuses.push((await submit(`person${i}@example.com`, `10.0.0.${i + 2}`)).status);
  expect(statuses).toEqual([201, 201, 201, 429]);
  const rows = await app.strapi.db.connection('consent_rate_limits').select('bucket', 'hits');
  expect(rows.length).toBeGreaterThan(0);
  // Keyed hashes only: no address or IP in clear.
  expect(JSON.stringify(rows)).not.toMatch(/example\.com|127\.0\.0\.1|10\.0\.0\.1/);
});

it('hits at once count exactly: of twelve simultaneous calls on a limit of five, five pass and seven get 429', async () => {
  // Each hit must read its own count (one atomic upsert; on MySQL the count comes back in the upsert's
  // own reply through LAST_INSERT_ID): two hits reading the same count would let a sixth through or
  // refuse a fifth.
  const limits = app.strapi.plugin('consent').service('rate-limits');
  const results = await Promise.allSettled(
    Array.from({ length: 12 }, () => limits.window('concurrent-test', 'one-key', 5, 3600))
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(refused).toHaveLength(7);
  for (const r of refused) expect(r.reason).toMatchObject({ name: 'RateLimitError' });
  const [row] = await app.strapi.db
    .connection('consent_rate_limits')
    .where('bucket', 'like', 'concurrent-test:one-key:%')
    .select('hits');
  expect(Number(row.hits)).toBe(12);
});

it('on a limit of one, exactly one of several simultaneous calls passes (the confirmation-mail throttle)', async () => {
  // Two hits reading the same count would refuse them all: a mail nobody sends.
  const limits = app.strapi.plugin('consent').service('rate-limits');
  const results = await Promise.allSettled(
    Array.from({ length: 4 }, () => limits.window('concurrent-test', 'limit-one', 1, 3600))
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
});
