/**
 * Issue 15: eligibility never says "yes" where the law says "no", over HTTP against a real Strapi.
 * - C4, C5, C6, C7: a contract basis needs a current contract (POST /api/consent/relationships); a contract
 *   purpose flagged as direct marketing honours objections and "everything" suppression; service messages
 *   do not.
 * - C2, N9: the audience is the person's, recorded at collection (form, submission); unknown is consumer.
 * - C2: the jurisdiction is the person's, recorded at collection; a check naming another one is stricter.
 * - C1, C3, C7: automated calls and fax; the French energy-renovation ban; the balancing test of a
 *   legitimate-interest purpose before its notice is published.
 */
import { adminApi, createSuperAdmin } from '../harness/admin';
import { createApiToken } from '../harness/api-token';
import { FORM_ORIGIN, postSubmission, publishNotice } from '../harness/consent-setup';
import { checkEligibility } from '../harness/eligibility';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let key: string;
let admin: ReturnType<typeof adminApi>;

const service = (name: string) => app.strapi.plugin('consent').service(name);

const PURPOSES = [
  { key: 'orders', name: 'Order updates', legalBasis: 'contract', channels: ['email'] },
  {
    key: 'upsell-calls',
    name: 'Calls about upgrades',
    legalBasis: 'contract',
    channels: ['phone', 'email'],
    directMarketing: true,
  },
  {
    key: 'b2b-news',
    name: 'News for your profession',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-7',
    channels: ['email'],
    audience: 'professional',
  },
  {
    key: 'sales-calls',
    name: 'Sales calls',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-8',
    channels: ['phone'],
  },
  { key: 'newsletter', name: 'Newsletter', legalBasis: 'consent', channels: ['email'] },
  {
    key: 'robocalls',
    name: 'Recorded offers',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-9',
    channels: ['automated-call', 'fax'],
  },
  {
    key: 'insulation',
    name: 'Insulation offers',
    legalBasis: 'consent',
    channels: ['phone', 'email'],
    sector: 'energy-renovation',
  },
];

beforeAll(async () => {
  app = await bootStrapi({ pluginConfig: { jurisdiction: 'fr' } });
  key = await createApiToken(app.strapi, 'full');
  admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));
  for (const purpose of PURPOSES) {
    const res = await admin.post('/consent/purposes', purpose);
    if (res.status !== 201) throw new Error(`purpose ${purpose.key}: ${res.status} ${JSON.stringify(res.body)}`);
    await publishNotice(app.strapi, purpose.key);
  }
  const forms = [
    { key: 'signup', name: 'Sign-up', purposes: ['newsletter', 'b2b-news', 'upsell-calls', 'insulation'] },
    { key: 'pro-signup', name: 'Trade sign-up', purposes: ['newsletter', 'b2b-news'], audience: 'professional' },
    { key: 'de-signup', name: 'Anmeldung', purposes: ['newsletter', 'sales-calls'], jurisdiction: 'de' },
  ];
  for (const form of forms) await service('forms').create({ ...form, allowedOrigins: [FORM_ORIGIN] });
});
afterAll(() => app?.stop());

const definition = (form: string) => service('forms').definition(form, 'en');
const submit = async (form: string, subject: Record<string, string>, choices: Record<string, boolean>) => {
  const def = await definition(form);
  const notices = Object.fromEntries(
    def.purposes
      .filter((p: { key: string }) => p.key in choices)
      .map((p: { key: string; notice: { version: number; hash: string } }) => [
        p.key,
        { version: p.notice.version, hash: p.notice.hash },
      ])
  );
  return postSubmission(app, { form, locale: 'en', subject, choices, notices });
};
const submitted = async (...args: Parameters<typeof submit>) => {
  const res = await submit(...args);
  if (res.status !== 201) throw new Error(`submission ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data;
};
const check = (query: Record<string, string>) => checkEligibility(app, key, query);
/** `POST /api/consent/events` from the CRM: rows on email, as of 1 January 2026, by import. */
const importRows = (rows: { subject: Record<string, string>; purpose: string; action: string }[]) =>
  app
    .http()
    .post('/api/consent/events')
    .set('Authorization', `Bearer ${key}`)
    .send({
      source: { type: 'first-party', name: 'crm' },
      events: rows.map((row) => ({ ...row, channel: 'email', occurredAt: '2026-01-01T00:00:00Z', method: 'import' })),
    });
const relationship = (body: unknown, token: string | null = key) => {
  const req = app.http().post('/api/consent/relationships');
  return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body as object);
};
const count = (uid: string) => app.strapi.db.query(uid).count({});

describe('C7: a contract basis needs a current contract (POST /api/consent/relationships)', () => {
  it('an unknown person → no-contract; a current contract → eligible; an ended one → no-contract again', async () => {
    expect(await check({ purpose: 'orders', email: 'carla@example.com' })).toEqual({
      eligible: false,
      state: 'none',
      basis: 'contract',
      reasons: ['no-contract'],
    });
    const created = await relationship({
      subject: { email: 'Carla@Example.com' },
      reference: 'ORD-1001',
      startedAt: '2026-01-05T10:00:00+01:00',
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      reference: 'ORD-1001',
      startedAt: '2026-01-05T09:00:00.000Z',
      endedAt: null,
      current: true,
    });
    expect(await check({ purpose: 'orders', email: 'carla@example.com' })).toMatchObject({
      eligible: true,
      reasons: [],
    });

    // The same reference again updates it: the contract ended yesterday.
    const ended = new Date(Date.now() - 86_400_000).toISOString();
    const update = await relationship({
      subject: { email: 'carla@example.com' },
      reference: 'ORD-1001',
      startedAt: '2026-01-05T09:00:00Z',
      endedAt: ended,
    });
    expect(update.status).toBe(201);
    expect(update.body.data).toMatchObject({ current: false });
    expect(await app.strapi.db.query('plugin::consent.relationship').count({ where: { reference: 'ORD-1001' } })).toBe(
      1
    );
    expect(await check({ purpose: 'orders', email: 'carla@example.com' })).toMatchObject({
      eligible: false,
      reasons: ['no-contract'],
    });
  });

  it('a contract that starts in the future is not current yet', async () => {
    await relationship({
      subject: { email: 'future@example.com' },
      reference: 'SUB-9',
      startedAt: '2099-01-01T00:00:00Z',
    }).expect(201);
    expect(await check({ purpose: 'orders', email: 'future@example.com' })).toMatchObject({
      eligible: false,
      reasons: ['no-contract'],
    });
  });

  it('the route needs an API token; bad bodies are 400s naming the field and write nothing', async () => {
    const before = await count('plugin::consent.relationship');
    const subjects = await count('plugin::consent.subject');
    expect(
      (
        await relationship(
          { subject: { email: 'x@example.com' }, reference: 'R', startedAt: '2026-01-01T00:00:00Z' },
          null
        )
      ).status
    ).toBe(403);
    const bad: [unknown, string][] = [
      [{ subject: { email: 'x@example.com' }, reference: 'R', startedAt: '2026-01-01' }, 'startedAt'],
      [{ subject: { email: 'x@example.com' }, reference: 'R' }, 'startedAt'],
      [{ subject: { email: 'x@example.com' }, startedAt: '2026-01-01T00:00:00Z' }, 'reference'],
      [{ subject: {}, reference: 'R', startedAt: '2026-01-01T00:00:00Z' }, 'subject'],
      [
        {
          subject: { email: 'x@example.com' },
          reference: 'R',
          startedAt: '2026-02-01T00:00:00Z',
          endedAt: '2026-01-01T00:00:00Z',
        },
        'endedAt',
      ],
      [
        { subject: { email: 'x@example.com', jurisdiction: 'us' }, reference: 'R', startedAt: '2026-01-01T00:00:00Z' },
        'subject.jurisdiction',
      ],
      [
        { subject: { email: 'x@example.com', audience: 'any' }, reference: 'R', startedAt: '2026-01-01T00:00:00Z' },
        'subject.audience',
      ],
      [
        { subject: { email: 'x@example.com' }, reference: 'R', startedAt: '2026-01-01T00:00:00Z', plan: 'gold' },
        'plan',
      ],
      [{ subject: { email: 'not an address' }, reference: 'R', startedAt: '2026-01-01T00:00:00Z' }, 'subject'],
    ];
    for (const [body, field] of bad) {
      const res = await relationship(body);
      expect([res.status, JSON.stringify(res.body.error)]).toEqual([400, expect.stringContaining(field)]);
    }
    expect(await count('plugin::consent.relationship')).toBe(before);
    expect(await count('plugin::consent.subject')).toBe(subjects);
  });
});

describe('C7: relationships imported in bulk ({ relationships: [...] }), all or nothing', () => {
  const item = (email: string, reference: string, extra: Record<string, unknown> = {}) => ({
    subject: { email },
    reference,
    startedAt: '2026-01-01T00:00:00Z',
    ...extra,
  });

  it('records every relationship of the batch and answers them in order; a retry updates instead of adding', async () => {
    const batch = {
      relationships: [
        item('bulk1@example.com', 'B-1'),
        item('bulk2@example.com', 'B-2'),
        item('bulk1@example.com', 'B-3', { endedAt: '2026-02-01T00:00:00Z' }),
      ],
    };
    const res = await relationship(batch);
    expect(res.status).toBe(201);
    expect(res.body.data.map((r: { reference: string; current: boolean }) => [r.reference, r.current])).toEqual([
      ['B-1', true],
      ['B-2', true],
      ['B-3', false],
    ]);
    const rows = () =>
      app.strapi.db
        .query('plugin::consent.relationship')
        .count({ where: { reference: { $in: ['B-1', 'B-2', 'B-3'] } } });
    expect(await rows()).toBe(3);
    await relationship(batch).expect(201);
    expect(await rows()).toBe(3);
    expect(await check({ purpose: 'orders', email: 'bulk2@example.com' })).toMatchObject({ eligible: true });
  });

  it('one bad row refuses the whole batch, naming it; nothing is written', async () => {
    const before = await count('plugin::consent.relationship');
    const subjects = await count('plugin::consent.subject');
    for (const [body, field] of [
      [{ relationships: [item('ok1@example.com', 'C-1'), item('not an address', 'C-2')] }, 'relationships.1.subject'],
      [
        { relationships: [item('ok1@example.com', 'C-1'), item('ok2@example.com', 'C-2', { startedAt: 'yesterday' })] },
        'relationships[1].startedAt',
      ],
      [{ relationships: [] }, 'relationships'],
      [{ relationships: Array.from({ length: 1001 }, (_, i) => item(`n${i}@example.com`, `N-${i}`)) }, 'relationships'],
      [{ relationships: [item('ok1@example.com', 'C-1')], dryRun: true }, 'dryRun'],
    ] as [unknown, string][]) {
      const res = await relationship(body);
      expect([res.status, JSON.stringify(res.body.error)]).toEqual([400, expect.stringContaining(field)]);
    }
    expect(await count('plugin::consent.relationship')).toBe(before);
    expect(await count('plugin::consent.subject')).toBe(subjects);
  });
});

describe('C4, C5: a contract purpose that sells honours objections and "everything"; service messages do not', () => {
  beforeAll(async () => {
    for (const email of ['dora@example.com', 'emil@example.com', 'fritz@example.com']) {
      await relationship({ subject: { email }, reference: `C-${email}`, startedAt: '2026-01-01T00:00:00Z' }).expect(
        201
      );
    }
  });

  it('the purpose is offered as an objection (opt-out) and recorded as one on the form', async () => {
    const def = await definition('signup');
    expect(def.purposes.find((p: { key: string }) => p.key === 'upsell-calls')).toMatchObject({ mechanism: 'opt-out' });
    expect(await check({ purpose: 'upsell-calls', channel: 'phone', email: 'dora@example.com' })).toMatchObject({
      eligible: true,
    });
    // C1: selling by email needs consent, a customer's too; the contract is not it (CNIL Accor).
    expect(await check({ purpose: 'upsell-calls', channel: 'email', email: 'dora@example.com' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
    const res = await submit('signup', { email: 'dora@example.com' }, { 'upsell-calls': true });
    expect(res.status).toBe(201);
    expect(res.body.data.states['upsell-calls']).toBe('objected');
    expect(await check({ purpose: 'upsell-calls', channel: 'phone', email: 'dora@example.com' })).toMatchObject({
      eligible: false,
      state: 'objected',
      reasons: ['objected'],
    });
  });

  it('a withdrawal by identifier objects to it (C5)', async () => {
    await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'emil@example.com' }, purposes: ['upsell-calls'] })
      .expect(202);
    expect(await check({ purpose: 'upsell-calls', channel: 'phone', email: 'emil@example.com' })).toMatchObject({
      eligible: false,
      reasons: ['objected'],
    });
    expect(await check({ purpose: 'orders', email: 'emil@example.com' })).toMatchObject({ eligible: true });
  });

  it('"unsubscribe from everything" stops it, but service messages still go out', async () => {
    await app
      .http()
      .post('/api/consent/withdrawals')
      .send({ subject: { email: 'fritz@example.com' }, purposes: 'all' })
      .expect(202);
    const upsell = await check({ purpose: 'upsell-calls', channel: 'phone', email: 'fritz@example.com' });
    expect(upsell.eligible).toBe(false);
    expect(upsell.reasons).toEqual(expect.arrayContaining(['objected', 'suppressed']));
    expect(await check({ purpose: 'orders', email: 'fritz@example.com' })).toMatchObject({
      eligible: true,
      reasons: [],
    });
  });

  it('directMarketing: never for legal obligation, always for consent and legitimate interest (400 naming it); frozen once used (409)', async () => {
    for (const body of [
      { key: 'recall', name: 'Recalls', legalBasis: 'legal-obligation', channels: ['email'], directMarketing: true },
      { key: 'promo', name: 'Promo', legalBasis: 'consent', channels: ['email'], directMarketing: false },
    ]) {
      const res = await admin.post('/consent/purposes', body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain('directMarketing');
    }
    expect((await admin.get('/consent/purposes/newsletter')).body.data).toMatchObject({
      directMarketing: true,
      mechanism: 'opt-in',
    });
    expect((await admin.get('/consent/purposes/orders')).body.data).toMatchObject({
      directMarketing: false,
      mechanism: 'none',
    });
    const frozen = await admin.put('/consent/purposes/upsell-calls', { directMarketing: false });
    expect(frozen.status).toBe(409);
    expect(frozen.body.error.details).toMatchObject({ field: 'directMarketing' });
  });
});

describe('C2, N9: the audience is the person’s, recorded at collection; unknown is a consumer', () => {
  it('a sign-up that never says "professional" gets no French B2B exception, whatever the purpose addresses', async () => {
    await submitted('signup', { email: 'anon@corp.example' }, { newsletter: false });
    expect(await check({ purpose: 'b2b-news', email: 'anon@corp.example' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
  it('a form that collects professionals records them as such (the submission cannot say otherwise)', async () => {
    await submitted('pro-signup', { email: 'buyer@corp.example', audience: 'consumer' }, { newsletter: false });
    expect(await check({ purpose: 'b2b-news', email: 'buyer@corp.example' })).toMatchObject({
      eligible: true,
      reasons: [],
    });
  });
  it('an import row or a relationship may state the audience (and the jurisdiction)', async () => {
    const imported = await importRows([
      {
        subject: { email: 'imported-pro@corp.example', audience: 'professional' },
        purpose: 'b2b-news',
        action: 'objected',
      },
      {
        subject: { email: 'imported-de-pro@corp.example', audience: 'professional', jurisdiction: 'de' },
        purpose: 'newsletter',
        action: 'withdrawn',
      },
    ]);
    expect([imported.status, JSON.stringify(imported.body.error ?? null)]).toEqual([201, 'null']);
    // Recorded as a professional, then objected: the objection answers, not the audience.
    expect(await check({ purpose: 'b2b-news', email: 'imported-pro@corp.example' })).toMatchObject({
      reasons: ['objected'],
    });
    // A German professional: no French B2B exception.
    expect(await check({ purpose: 'b2b-news', email: 'imported-de-pro@corp.example' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
    await relationship({
      subject: { email: 'rel-pro@corp.example', audience: 'professional' },
      reference: 'R-pro',
      startedAt: '2026-01-01T00:00:00Z',
    }).expect(201);
    expect(await check({ purpose: 'b2b-news', email: 'rel-pro@corp.example' })).toMatchObject({ eligible: true });
    const bad = await importRows([
      { subject: { email: 'x@corp.example', audience: 'any' }, purpose: 'b2b-news', action: 'objected' },
    ]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('audience');
  });

  it('a submission may state the audience when the form does not', async () => {
    await submitted('signup', { email: 'pro@corp.example', audience: 'professional' }, { newsletter: false });
    expect(await check({ purpose: 'b2b-news', email: 'pro@corp.example' })).toMatchObject({ eligible: true });
  });
});

describe('C2: the jurisdiction is the person’s, recorded at collection; a check can only make it stricter', () => {
  it('a German sign-up stays under German law when a check names France', async () => {
    await submitted('de-signup', { phone: '+4915112345678' }, { newsletter: false });
    await submitted('signup', { phone: '+33612121212' }, { newsletter: false });
    // Before 11 August 2026 a French legitimate-interest call to a consumer was opt-out; German law asks for consent.
    const at = { now: new Date('2026-08-01T12:00:00Z') };
    const ask = (phone: string, jurisdiction?: string) =>
      service('eligibility').check('sales-calls', 'phone', { phone }, { ...at, jurisdiction });
    expect(await ask('+33612121212')).toMatchObject({ eligible: true });
    expect(await ask('+4915112345678')).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(await ask('+4915112345678', 'fr')).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(await ask('+33612121212', 'de')).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    // The route takes the same parameter.
    expect(await check({ purpose: 'sales-calls', phone: '+4915112345678', jurisdiction: 'fr' })).toMatchObject({
      eligible: false,
    });
  });
  it('a French professional asked about under German rules gets the German answer', async () => {
    expect(await check({ purpose: 'b2b-news', email: 'buyer@corp.example', jurisdiction: 'de' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });
  it('a submission may name its jurisdiction (validated); the form’s outranks it', async () => {
    const res = await submit('signup', { email: 'x@example.com', jurisdiction: 'us' }, { newsletter: false });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('subject.jurisdiction');
    await submitted(
      'signup',
      { email: 'de@example.com', jurisdiction: 'de', audience: 'professional' },
      { newsletter: false }
    );
    expect(await check({ purpose: 'b2b-news', email: 'de@example.com' })).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
    await submitted('de-signup', { email: 'fr-claim@example.com', jurisdiction: 'fr' }, { newsletter: false });
    const [row] = await app.strapi.db
      .query('plugin::consent.subject')
      .findMany({ where: { email: 'fr-claim@example.com' } });
    expect(row.jurisdiction).toBe('de');
  });
});

describe('C1, C7: channels and sectors the table used to miss', () => {
  it('automated calls and fax need prior consent: legitimate interest is never enough', async () => {
    await relationship({
      subject: { phone: '+33611223344', audience: 'professional' },
      reference: 'R-1',
      startedAt: '2026-01-01T00:00:00Z',
    }).expect(201);
    for (const channel of ['automated-call', 'fax']) {
      expect(await check({ purpose: 'robocalls', channel, phone: '+33611223344' })).toMatchObject({
        eligible: false,
        reasons: ['jurisdiction-rule'],
      });
    }
  });
  it('France: energy-renovation calls are never eligible, even with a consent; the consent still counts by email only within a contract', async () => {
    const res = await submit('signup', { email: 'home@example.com', phone: '+33699887766' }, { insulation: true });
    expect(res.status).toBe(201);
    expect(await check({ purpose: 'insulation', channel: 'phone', phone: '+33699887766' })).toMatchObject({
      eligible: false,
      state: 'granted',
      reasons: ['sector-ban'],
    });
    expect(await check({ purpose: 'insulation', channel: 'email', email: 'home@example.com' })).toMatchObject({
      eligible: false,
      reasons: ['sector-ban'],
    });
  });
});

describe('bad input on the new fields: 400 naming the field, nothing written', () => {
  it.each([
    [
      '/consent/purposes',
      { key: 'bad-sector', name: 'X', legalBasis: 'consent', channels: ['email'], sector: 'tobacco' },
      'sector',
    ],
    [
      '/consent/purposes',
      { key: 'bad-channel', name: 'X', legalBasis: 'consent', channels: ['telegraph'] },
      'channels',
    ],
    [
      '/consent/purposes',
      { key: 'bad-dm', name: 'X', legalBasis: 'contract', channels: ['email'], directMarketing: 'yes' },
      'directMarketing',
    ],
    [
      '/consent/purposes',
      {
        key: 'bad-lia',
        name: 'X',
        legalBasis: 'legitimate-interest',
        channels: ['email'],
        balancingTest: 'x'.repeat(501),
      },
      'balancingTest',
    ],
    ['/consent/forms', { key: 'bad-aud', name: 'X', purposes: ['newsletter'], audience: 'any' }, 'audience'],
    ['/consent/forms', { key: 'bad-jur', name: 'X', purposes: ['newsletter'], jurisdiction: 'us' }, 'jurisdiction'],
  ])('POST %s %j → 400 naming %s', async (path, body, field) => {
    const before = [await count('plugin::consent.purpose'), await count('plugin::consent.form')];
    const res = await admin.post(path, body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain(field);
    expect([await count('plugin::consent.purpose'), await count('plugin::consent.form')]).toEqual(before);
  });
});

describe('C3: a legitimate-interest notice needs the balancing test and the right to object before it is published', () => {
  it('publishing without a balancing-test reference is refused and names it; with one it publishes with the objection sentence', async () => {
    await admin
      .post('/consent/purposes', {
        key: 'catalogue',
        name: 'Catalogue',
        legalBasis: 'legitimate-interest',
        channels: ['postal'],
      })
      .expect(201);
    const draft = await service('notices').createDraft({
      purpose: 'catalogue',
      locale: 'en',
      title: 'Our catalogue',
      body: 'We send our catalogue by post.',
      dataCategories: ['postal address'],
      recipients: [],
      privacyPolicyUrl: 'https://shop.example/privacy',
    });
    expect(draft.missing).toEqual(['balancingTest']);
    const refused = await admin.post(`/consent/notices/${draft.id}/publish`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toMatchObject({ missing: ['balancingTest'] });
    await admin.put('/consent/purposes/catalogue', { balancingTest: 'LIA-2026-04' }).expect(200);
    const published = await admin.post(`/consent/notices/${draft.id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.data.withdrawal).toMatch(/object/);
  });
});
