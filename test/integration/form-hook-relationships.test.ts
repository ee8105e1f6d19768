/**
 * Relationships recorded through capture (issue 15 part 1; C4–C7): the form hook's `relationship` option
 * records the contract a site's route created (the playground's `POST /api/orders`) for the person, in the
 * same transaction as the entry and the consent events. The reference and dates come from the server
 * (the route's config), never from the request: a `relationship` in a public body is a 400 naming it.
 */
import { createApiToken } from '../harness/api-token';
import { postContactRequest, postSubmission, rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let notices: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter'], { key: 'checkout', allowedOrigins: [ORIGIN] }));
  await setupForm(app.strapi, ['newsletter'], { key: 'signup', allowedOrigins: [ORIGIN] });
  const purposes = app.strapi.plugin('consent').service('purposes');
  // A service message (contract, not marketing) and an in-contract offer by post (contract, direct marketing).
  await purposes.create({ key: 'service', name: 'Service messages', legalBasis: 'contract', channels: ['email'] });
  await purposes.create({
    key: 'member-offers',
    name: 'Offers for members',
    legalBasis: 'contract',
    channels: ['postal'],
    directMarketing: true,
  });
});
afterAll(() => app?.stop());

const consent = () => app.strapi.plugin('consent');
const relationshipsOf = (subject: string) => app.strapi.db.connection('consent_relationships').where({ subject });
const orders = async () => (await app.strapi.db.connection('orders').select('id')).length;
const counts = async () => ({
  ...(await rowCounts(app.strapi)),
  relationships: Number((await app.strapi.db.connection('consent_relationships').count({ n: '*' }))[0].n),
  orders: await orders(),
});
const order = (
  email: string,
  extra: { payment?: string; consent?: Record<string, unknown>; body?: Record<string, unknown> } = {}
) =>
  app
    .http()
    .post('/api/orders')
    .set('Origin', ORIGIN)
    .send({
      data: { email, product: 'Espresso machine', payment: extra.payment ?? 'tok_visa' },
      consent: { subject: { email }, choices: { newsletter: false }, notices, ...extra.consent },
      ...extra.body,
    });
const check = (purpose: string, email: string) => consent().service('eligibility').check(purpose, undefined, { email });

describe('C7: the form hook records the contract its route created', () => {
  it('C4/C7: before the order the contract purposes answer no-contract; after it they are eligible', async () => {
    expect(await check('service', 'ada@example.com')).toMatchObject({ eligible: false, reasons: ['no-contract'] });
    expect(await check('member-offers', 'ada@example.com')).toMatchObject({
      eligible: false,
      reasons: ['no-contract'],
    });

    const res = await order('ada@example.com');
    expect(res.status).toBe(201);
    const subject = res.body.meta.consent.receipt.piiPrincipalId;
    const reference = `order-${res.body.data.documentId}`;
    expect(res.body.meta.consent.relationship).toMatchObject({ subject, reference, endedAt: null, current: true });

    const rows = await relationshipsOf(subject);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reference, source: 'form-hook' });
    // The contract starts when the server recorded it, not at a time anyone sent.
    expect(Math.abs(new Date(rows[0].started_at ?? rows[0].startedAt).getTime() - Date.now())).toBeLessThan(60_000);

    expect(await check('service', 'ada@example.com')).toMatchObject({ eligible: true, reasons: [] });
    expect(await check('member-offers', 'ada@example.com')).toMatchObject({ eligible: true, reasons: [] });
  });

  it('C7: a second order of the same person is a second relationship; a consent form without the option records none', async () => {
    const first = await order('bob@example.com');
    const second = await order('bob@example.com');
    const subject = first.body.meta.consent.receipt.piiPrincipalId;
    expect(second.body.meta.consent.receipt.piiPrincipalId).toBe(subject);
    expect((await relationshipsOf(subject)).map((r: { reference: string }) => r.reference).sort()).toEqual(
      [`order-${first.body.data.documentId}`, `order-${second.body.data.documentId}`].sort()
    );

    // The plugin's own public sign-up route has no such option: the person stays without a contract.
    const signup = await postSubmission(app, {
      form: 'signup',
      subject: { email: 'cyd@example.com' },
      choices: { newsletter: true },
      notices,
    });
    expect(signup.status).toBe(201);
    expect(await relationshipsOf(signup.body.data.receipt.piiPrincipalId)).toHaveLength(0);
    expect(await check('service', 'cyd@example.com')).toMatchObject({ eligible: false, reasons: ['no-contract'] });
  });

  it('C7: a refused payment after the order row exists rolls back the order, the consent and the contract together', async () => {
    const before = await counts();
    const res = await order('dan@example.com', { payment: 'tok_declined', consent: { choices: { newsletter: true } } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/declined/);
    expect(await counts()).toEqual(before);
    expect(await check('service', 'dan@example.com')).toMatchObject({ eligible: false, reasons: ['no-contract'] });
  });

  it('C7: a route that fails (invalid entry) writes no contract either', async () => {
    const before = await counts();
    const res = await app
      .http()
      .post('/api/orders')
      .set('Origin', ORIGIN)
      .send({
        data: { email: 'eve@example.com', payment: 'tok_visa' },
        consent: { subject: { email: 'eve@example.com' }, choices: {}, notices: {} },
      });
    expect(res.status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe('C4–C7: a visitor cannot vouch for a contract', () => {
  const vouched = { reference: 'ORD-FAKE', startedAt: '2026-01-01T00:00:00Z' };

  it('C7: POST /api/consent/submissions with a relationship → 400 naming it, nothing written', async () => {
    const before = await counts();
    const res = await postSubmission(app, {
      form: 'signup',
      subject: { email: 'fay@example.com' },
      choices: { newsletter: true },
      notices,
      relationship: vouched,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['relationship']);
    expect(res.body.error.message).toMatch(/relationship/);
    expect(await counts()).toEqual(before);
  });

  it('C7: the urlencoded public form with relationship fields → 400 naming it', async () => {
    const before = await counts();
    const res = await app
      .http()
      .post('/api/consent/submissions')
      .set('Origin', ORIGIN)
      .type('form')
      .send('form=signup&subject[email]=gus@example.com&relationship[reference]=ORD-1');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error ?? res.text)).toContain('relationship');
    expect(await counts()).toEqual(before);
  });

  it('C7: the hook refuses a relationship in its consent part (consent.relationship) and beside it, and the route never runs', async () => {
    const before = await counts();
    const inConsent = await order('hal@example.com', { consent: { relationship: vouched } });
    expect(inConsent.status).toBe(400);
    expect(inConsent.body.error.details.errors[0].path).toEqual(['consent', 'relationship']);
    const beside = await order('hal@example.com', { body: { relationship: vouched } });
    expect(beside.status).toBe(400);
    expect(beside.body.error.details.errors[0].path).toEqual(['relationship']);
    expect(await counts()).toEqual(before);
  });

  it('C7: the contact form hook (no relationship option) refuses one too', async () => {
    await setupForm(app.strapi, ['newsletter'], { key: 'contact', allowedOrigins: [ORIGIN] });
    const before = await counts();
    const res = await postContactRequest(app, {
      data: { name: 'Ivy', email: 'ivy@example.com', message: 'Hello' },
      consent: { subject: { email: 'ivy@example.com' }, choices: { newsletter: true }, notices },
      relationship: vouched,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['relationship']);
    expect(await counts()).toEqual(before);
  });

  it('C7: the relationships route still needs an API token (server-to-server)', async () => {
    const anonymous = await app
      .http()
      .post('/api/consent/relationships')
      .send({ subject: { email: 'jo@example.com' }, ...vouched });
    expect([401, 403]).toContain(anonymous.status);
    const key = await createApiToken(app.strapi, 'crm');
    const res = await app
      .http()
      .post('/api/consent/relationships')
      .set('Authorization', `Bearer ${key}`)
      .send({ subject: { email: 'jo@example.com' }, ...vouched });
    expect(res.status).toBe(201);
  });
});
