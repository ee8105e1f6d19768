/**
 * Jurisdiction-aware eligibility (legal map §1; C1, C2, C4, C6–C8) against a real Strapi (jurisdiction
 * `fr`): the same person answered under French and German rules, an unknown number on the Bloctel
 * opposition list, the French telephone switch of 11 August 2026, suppression beating a granted consent,
 * soft opt-in evidence from the ledger, and bulk calls of a few thousand mixing all of these in a
 * handful of queries. Dates are injected through the service; the public routes always check "now".
 */
import { randomUUID } from 'node:crypto';
import type { Audience, Jurisdiction } from '../../shared/contracts/domain';
import type { Eligibility } from '../../shared/contracts/eligibility';
import type { PurposeInput } from '../../shared/contracts/purposes';
import { FR_PHONE_CONSENT_FROM, legalDate } from '../../server/src/domain/contact-rules';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let token: string;

const BEFORE = new Date('2026-08-10T12:00:00Z');
const AFTER = new Date('2026-08-11T12:00:00Z');
const BLOCTEL_NUMBER = '+33612345678';

const PURPOSES: PurposeInput[] = [
  {
    key: 'calls',
    name: 'Sales calls',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-2026-01',
    channels: ['phone'],
  },
  { key: 'call-consent', name: 'Calls and texts we may make', legalBasis: 'consent', channels: ['phone', 'sms'] },
  { key: 'service-calls', name: 'Calls about your contract', legalBasis: 'contract', channels: ['phone'] },
  {
    key: 'b2b-news',
    name: 'News for your profession',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-2026-01',
    channels: ['email'],
    audience: 'professional',
  },
  {
    key: 'customer-offers',
    name: 'Offers for customers',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-2026-01',
    channels: ['email', 'sms'],
    softOptIn: true,
  },
  { key: 'newsletter', name: 'Newsletter', legalBasis: 'consent', channels: ['email'] },
];

const plugin = (name: string) => app.strapi.plugin('consent').service(name);
const eligibility = () => plugin('eligibility');
const hash = (type: 'email' | 'phone', value: string): string => plugin('subjects').hash(type, value);

interface Person {
  email?: string;
  phone?: string;
  audience?: Audience;
  jurisdiction?: Jurisdiction | null;
}

/** Creates people the way capture does (normalised identifiers, keyed hashes), many at once. */
const createPeople = async (people: Person[]): Promise<string[]> => {
  const pseudonyms = people.map(() => randomUUID());
  const rows = people.map((p, i) => {
    const { email, phone } = plugin('subjects').normalise({ email: p.email, phone: p.phone });
    return {
      pseudonym: pseudonyms[i],
      email: email ?? null,
      emailHash: email ? hash('email', email) : null,
      phone: phone ?? null,
      phoneHash: phone ? hash('phone', phone) : null,
      audience: p.audience ?? 'any',
      jurisdiction: p.jurisdiction === undefined ? 'fr' : p.jurisdiction,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await app.strapi.db.query('plugin::consent.subject').createMany({ data: rows.slice(i, i + 500) });
  }
  return pseudonyms;
};

type Basis = 'consent' | 'legitimate-interest';
const record = (
  subject: string,
  purpose: string,
  channel: 'phone' | 'sms' | 'email',
  action: 'granted' | 'objected',
  basis: Basis,
  evidence?: Record<string, unknown>
) => ({
  subject,
  purpose,
  channel,
  action,
  state: action,
  method: 'import' as const,
  legalBasis: basis,
  actor: 'admin:test',
  evidence: evidence ?? null,
});

const append = (events: ReturnType<typeof record>[]) => plugin('ledger').append(events);

const setJurisdiction = (pseudonym: string, jurisdiction: Jurisdiction | null) =>
  app.strapi.db.query('plugin::consent.subject').update({ where: { pseudonym }, data: { jurisdiction } });

const get = (query: Record<string, string>) =>
  app.http().get('/api/consent/eligibility').query(query).set('Authorization', `Bearer ${token}`);
const post = (body: object) =>
  app.http().post('/api/consent/eligibility').set('Authorization', `Bearer ${token}`).send(body);

/** Counts the SQL statements a block sends: bulk answers must not cost a query per person. */
const countQueries = async <T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> => {
  const knex = app.strapi.db.connection as unknown as {
    on: (event: string, fn: () => void) => void;
    removeListener: (event: string, fn: () => void) => void;
  };
  let queries = 0;
  const listener = () => (queries += 1);
  knex.on('query', listener);
  try {
    return { result: await fn(), queries };
  } finally {
    knex.removeListener('query', listener);
  }
};

beforeAll(async () => {
  app = await bootStrapi({ pluginConfig: { jurisdiction: 'fr' } });
  for (const purpose of PURPOSES) await plugin('purposes').create(purpose);
  const created = await app.strapi
    .service('admin::api-token-content-api')
    .create({ name: 'full', description: '', lifespan: null, type: 'full-access' });
  token = created.accessKey;
  await plugin('suppression').add([
    {
      identifierHash: hash('phone', BLOCTEL_NUMBER),
      identifierType: 'phone',
      channel: 'phone',
      reason: 'opposition-list',
      source: 'bloctel',
    },
  ]);
});
afterAll(() => app?.stop());

describe('the same person under French and German rules', () => {
  it('C2: B2B email about the profession is opt-out in France, needs consent in Germany (route: the person’s jurisdiction)', async () => {
    const [pro] = await createPeople([{ email: 'buyer@acme.example', audience: 'professional' }]);
    const ask = async () => (await get({ purpose: 'b2b-news', email: 'buyer@acme.example' })).body.data;

    expect(await ask()).toEqual({ eligible: true, state: 'none', basis: 'legitimate-interest', reasons: [] });
    await setJurisdiction(pro, 'de');
    expect(await ask()).toEqual({
      eligible: false,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: ['jurisdiction-rule'],
    });
    // No jurisdiction of their own: the site's (fr) applies.
    await setJurisdiction(pro, null);
    expect(await ask()).toEqual({ eligible: true, state: 'none', basis: 'legitimate-interest', reasons: [] });
  });

  it('C2: a per-check jurisdiction only adds its own refusals to the person’s (service and routes)', async () => {
    const [fr, de] = await createPeople([
      { email: 'pro-fr@acme.example', audience: 'professional', jurisdiction: 'fr' },
      { email: 'pro-de@acme.example', audience: 'professional', jurisdiction: 'de' },
    ]);
    const ask = (subject: string, jurisdiction?: Jurisdiction) =>
      eligibility().check('b2b-news', 'email', { subject }, { jurisdiction });
    expect(await ask(fr)).toMatchObject({ eligible: true });
    expect(await ask(fr, 'de')).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(await ask(fr, 'eu')).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(await ask(de)).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    // A German professional stays under German law, whatever the check names (no B2B exception there).
    expect(await ask(de, 'fr')).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    // The same through the routes.
    expect((await get({ purpose: 'b2b-news', subject: fr, jurisdiction: 'de' })).body.data).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
    const bulk = await post({ purpose: 'b2b-news', jurisdiction: 'fr', subjects: [{ subject: de }, { subject: fr }] });
    expect(bulk.body.data[0]).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(bulk.body.data[1]).toMatchObject({ eligible: true });
  });

  it('C6, C8: a consumer’s phone before the French switch: opt-out in France, express consent in Germany', async () => {
    const [person] = await createPeople([{ phone: '+33622222222', audience: 'consumer' }]);
    const ask = (purpose: string, jurisdiction?: Jurisdiction) =>
      eligibility().check(purpose, 'phone', { phone: '06 22 22 22 22' }, { now: BEFORE, jurisdiction });
    expect(await ask('calls')).toEqual({ eligible: true, state: 'none', basis: 'legitimate-interest', reasons: [] });
    expect(await ask('calls', 'de')).toEqual({
      eligible: false,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: ['jurisdiction-rule'],
    });

    await append([record(person, 'call-consent', 'phone', 'granted', 'consent')]);
    expect(await ask('call-consent')).toMatchObject({ eligible: true, state: 'granted' });
    expect(await ask('call-consent', 'de')).toMatchObject({ eligible: true, state: 'granted' });
  });

  it('the jurisdiction parameter of the routes is validated: eu, fr or de', async () => {
    expect((await get({ purpose: 'calls', phone: '+33622222222', jurisdiction: 'de' })).status).toBe(200);
    expect((await get({ purpose: 'calls', phone: '+33622222222', jurisdiction: 'us' })).status).toBe(400);
    expect((await get({ purpose: 'calls', phone: '+33622222222', jurisdiction: 'FR' })).status).toBe(400);
    const bulk = { purpose: 'calls', subjects: [{ phone: '+33622222222' }] };
    expect((await post({ ...bulk, jurisdiction: 'fr' })).status).toBe(200);
    expect((await post({ ...bulk, jurisdiction: 'us' })).status).toBe(400);
    expect((await post({ ...bulk, jurisdiction: 1 })).status).toBe(400);
  });
});

describe('C6: an unknown number on the Bloctel opposition list', () => {
  const ask = (purpose: string, phone: string, now: Date, channel = 'phone') =>
    eligibility().check(purpose, channel, { phone }, now);

  it('answers opposition-list before the switch, in any spelling of the number', async () => {
    for (const phone of [BLOCTEL_NUMBER, '06 12 34 56 78', '0612345678']) {
      expect(await ask('calls', phone, BEFORE)).toEqual({
        eligible: false,
        state: 'none',
        basis: 'legitimate-interest',
        reasons: ['opposition-list'],
      });
    }
    expect(await ask('calls', '+33633333333', BEFORE)).toEqual({
      eligible: true,
      state: 'none',
      basis: 'legitimate-interest',
      reasons: [],
    });
  });

  it('after the switch consent is needed, and the entry still says opposition-list', async () => {
    expect(await ask('calls', BLOCTEL_NUMBER, AFTER)).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule', 'opposition-list'],
    });
    expect(await ask('calls', '+33633333333', AFTER)).toMatchObject({
      eligible: false,
      reasons: ['jurisdiction-rule'],
    });
  });

  it('the route (today) gives the same answer as the service for today', async () => {
    const res = await get({ purpose: 'calls', phone: BLOCTEL_NUMBER });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(await ask('calls', BLOCTEL_NUMBER, new Date()));
    expect(res.body.data.reasons).toContain('opposition-list');
  });

  it('the entry is for the phone channel: texts are not screened by it; C7: an unknown number has no contract', async () => {
    expect(await ask('call-consent', BLOCTEL_NUMBER, BEFORE, 'sms')).toMatchObject({ reasons: ['no-consent'] });
    expect(await ask('service-calls', BLOCTEL_NUMBER, BEFORE)).toMatchObject({
      eligible: false,
      basis: 'contract',
      reasons: ['no-contract'],
    });
    expect(await ask('service-calls', BLOCTEL_NUMBER, AFTER)).toMatchObject({
      eligible: false,
      basis: 'contract',
      reasons: ['no-contract'],
    });
  });

  it('C6: within a current contract the opposition list does not apply to a contract call', async () => {
    await plugin('relationships').upsert(
      { subject: { phone: BLOCTEL_NUMBER }, reference: 'contract-bloctel', startedAt: '2025-01-01T00:00:00Z' },
      'api'
    );
    expect(await ask('service-calls', BLOCTEL_NUMBER, BEFORE)).toMatchObject({
      eligible: true,
      basis: 'contract',
      reasons: [],
    });
    expect(await ask('service-calls', BLOCTEL_NUMBER, AFTER)).toMatchObject({
      eligible: true,
      basis: 'contract',
      reasons: [],
    });
    // Not so for legitimate interest: Bloctel screens it, contract or not.
    expect((await ask('calls', BLOCTEL_NUMBER, BEFORE)).reasons).toContain('opposition-list');
  });
});

describe('C7: the French telephone switch for known people', () => {
  it('legitimate interest until 10 August 2026, consent or contract from the 11th; an objection always wins', async () => {
    const [granted, objector, plain] = await createPeople([
      { phone: '+33644444401', audience: 'consumer' },
      { phone: '+33644444402', audience: 'consumer' },
      { phone: '+33644444403', audience: 'consumer' },
    ]);
    await append([
      record(granted, 'call-consent', 'phone', 'granted', 'consent'),
      record(objector, 'calls', 'phone', 'objected', 'legitimate-interest'),
    ]);
    const ask = (purpose: string, subject: string, now: Date) =>
      eligibility().check(purpose, 'phone', { subject }, now);

    expect(await ask('calls', plain, BEFORE)).toMatchObject({ eligible: true, reasons: [] });
    expect(await ask('calls', plain, AFTER)).toMatchObject({ eligible: false, reasons: ['jurisdiction-rule'] });
    expect(await ask('call-consent', granted, BEFORE)).toMatchObject({ eligible: true, state: 'granted' });
    expect(await ask('call-consent', granted, AFTER)).toMatchObject({ eligible: true, state: 'granted' });
    expect(await ask('service-calls', plain, AFTER)).toMatchObject({
      eligible: false,
      basis: 'contract',
      reasons: ['no-contract'],
    });
    const [plainRow] = await app.strapi.db.query('plugin::consent.subject').findMany({ where: { pseudonym: plain } });
    await plugin('relationships').upsert(
      { subject: { phone: plainRow.phone }, reference: 'c-1', startedAt: '2026-01-01T00:00:00Z' },
      'api'
    );
    expect(await ask('service-calls', plain, AFTER)).toMatchObject({ eligible: true, basis: 'contract' });
    expect(await ask('calls', objector, BEFORE)).toMatchObject({
      eligible: false,
      state: 'objected',
      reasons: ['objected'],
    });
    expect(await ask('calls', objector, AFTER)).toMatchObject({
      eligible: false,
      reasons: ['objected', 'jurisdiction-rule'],
    });
    // Midnight in Paris, not in UTC.
    expect(await ask('calls', plain, new Date('2026-08-10T21:59:59Z'))).toMatchObject({ eligible: true });
    expect(await ask('calls', plain, new Date('2026-08-10T22:00:00Z'))).toMatchObject({ eligible: false });
  });
});

describe('suppression beats a granted consent', () => {
  it('an unsubscribe entry for the email blocks the newsletter; an `all` entry blocks the person’s phone too', async () => {
    const [person] = await createPeople([
      { email: 'granted@example.com', phone: '+33655555555', audience: 'consumer' },
    ]);
    await append([
      record(person, 'newsletter', 'email', 'granted', 'consent'),
      record(person, 'call-consent', 'phone', 'granted', 'consent'),
    ]);
    expect(await eligibility().check('newsletter', 'email', { email: 'granted@example.com' })).toEqual({
      eligible: true,
      state: 'granted',
      basis: 'consent',
      reasons: [],
    });

    await plugin('suppression').add([
      {
        identifierHash: hash('email', 'granted@example.com'),
        identifierType: 'email',
        channel: 'email',
        reason: 'unsubscribe',
        source: 'test',
      },
    ]);
    const route = await get({ purpose: 'newsletter', email: 'granted@example.com' });
    expect(route.body.data).toEqual({ eligible: false, state: 'granted', basis: 'consent', reasons: ['suppressed'] });
    // A channel entry for email leaves the phone alone.
    expect(await eligibility().check('call-consent', 'phone', { phone: '+33655555555' })).toMatchObject({
      eligible: true,
    });

    await plugin('suppression').add([
      {
        identifierHash: hash('email', 'granted@example.com'),
        identifierType: 'email',
        channel: 'all',
        reason: 'objection',
        source: 'test',
      },
    ]);
    // Asked by phone, found by the person's email: every identifier of a known person is screened.
    expect(await eligibility().check('call-consent', 'phone', { phone: '+33655555555' })).toEqual({
      eligible: false,
      state: 'granted',
      basis: 'consent',
      reasons: ['suppressed'],
    });
    expect(await eligibility().check('call-consent', 'phone', { subject: person })).toMatchObject({
      reasons: ['suppressed'],
    });
  });
});

describe('C1: soft opt-in evidence on the ledger', () => {
  const COMPLETE = { sale: 'order-1001', similarProducts: true, objectionOffered: true };

  it('complete evidence → eligible; a missing element, none at all, the wrong channel or an objection → not', async () => {
    const [complete, noSimilar, none, later, objector] = await createPeople(
      ['complete', 'nosimilar', 'none', 'later', 'objector'].map((n) => ({
        email: `${n}@customer.example`,
        audience: 'consumer' as const,
      }))
    );
    await append([
      record(complete, 'customer-offers', 'email', 'granted', 'legitimate-interest', {
        softOptIn: COMPLETE,
        importRef: 'crm-1',
      }),
      record(noSimilar, 'customer-offers', 'email', 'granted', 'legitimate-interest', {
        softOptIn: { sale: 'order-1002', objectionOffered: true },
      }),
      record(later, 'customer-offers', 'email', 'granted', 'legitimate-interest', { softOptIn: COMPLETE }),
      // A later record corrects the earlier one: the goods were not similar after all.
      record(later, 'customer-offers', 'email', 'granted', 'legitimate-interest', {
        softOptIn: { ...COMPLETE, similarProducts: false },
      }),
      record(objector, 'customer-offers', 'email', 'granted', 'legitimate-interest', { softOptIn: COMPLETE }),
      record(objector, 'customer-offers', 'email', 'objected', 'legitimate-interest'),
    ]);
    const ask = (subject: string, channel = 'email') => eligibility().check('customer-offers', channel, { subject });

    expect(await ask(complete)).toEqual({
      eligible: true,
      state: 'granted',
      basis: 'legitimate-interest',
      reasons: [],
    });
    expect(await ask(noSimilar)).toMatchObject({ eligible: false, reasons: ['soft-opt-in-incomplete'] });
    expect(await ask(none)).toMatchObject({ eligible: false, state: 'none', reasons: ['soft-opt-in-incomplete'] });
    expect(await ask(later)).toMatchObject({ eligible: false, reasons: ['soft-opt-in-incomplete'] });
    expect(await ask(objector)).toMatchObject({ eligible: false, state: 'objected', reasons: ['objected'] });
    // Evidence for the email address says nothing about a phone number.
    expect(await ask(complete, 'sms')).toMatchObject({ eligible: false, reasons: ['soft-opt-in-incomplete'] });
  });

  it('a bulk call reads the evidence of every customer in a few queries', async () => {
    const n = 600;
    const people = await createPeople(
      Array.from({ length: n }, (_, i) => ({
        email: `bulk-customer-${i}@customer.example`,
        audience: 'consumer' as const,
      }))
    );
    const variants = [
      COMPLETE,
      { sale: true, similarProducts: true },
      { similarProducts: true, objectionOffered: true },
      null,
    ];
    await append(
      people
        .map((subject, i) => ({ subject, evidence: variants[i % variants.length] }))
        .filter((p) => p.evidence)
        .map((p) =>
          record(p.subject, 'customer-offers', 'email', 'granted', 'legitimate-interest', { softOptIn: p.evidence })
        )
    );
    const refs = people.map((_, i) => ({ email: `bulk-customer-${i}@customer.example` }));
    const { result, queries } = await countQueries(
      async () => (await eligibility().checkMany('customer-offers', 'email', refs)) as Eligibility[]
    );
    expect(result.map((r) => r.eligible)).toEqual(people.map((_, i) => i % variants.length === 0));
    expect(queries).toBeGreaterThan(0); // the counter does see them
    expect(queries).toBeLessThan(20);
  });
});

describe('bulk: a few thousand people mixing every case', () => {
  type Kind = 'unknown' | 'unknown-listed' | 'fr' | 'fr-objected' | 'de' | 'fr-pro' | 'suppressed' | 'invalid';
  const expected = (
    kind: Kind,
    purpose: 'calls' | 'call-consent',
    after: boolean
  ): { eligible: boolean; state: string; reasons: string[] } => {
    const objected = kind === 'fr-objected' && purpose === 'calls';
    const known = !['unknown', 'unknown-listed', 'invalid'].includes(kind);
    const state = objected ? 'objected' : purpose === 'call-consent' && known ? 'granted' : 'none';
    const reasons: string[] = [];
    if (objected) reasons.push('objected');
    if (purpose === 'call-consent' && !known) reasons.push('no-consent');
    if (purpose === 'calls' && (kind === 'de' || (after && kind !== 'fr-pro'))) reasons.push('jurisdiction-rule');
    if (kind === 'unknown-listed') reasons.push('opposition-list');
    if (kind === 'suppressed') reasons.push('suppressed');
    return { eligible: reasons.length === 0, state, reasons };
  };

  let refs: Record<string, string>[];
  let kinds: Kind[];

  beforeAll(async () => {
    const number = (block: number, i: number) => `+336${String(block * 10_000 + i).padStart(8, '0')}`;
    const groups: [Kind, Person][] = [];
    for (let i = 0; i < 300; i++) groups.push(['fr', { phone: number(10, i), audience: 'consumer' }]);
    for (let i = 0; i < 100; i++) groups.push(['fr-objected', { phone: number(11, i), audience: 'consumer' }]);
    for (let i = 0; i < 200; i++)
      groups.push(['de', { phone: `+49151${String(10_000_000 + i)}`, audience: 'consumer', jurisdiction: 'de' }]);
    for (let i = 0; i < 200; i++) groups.push(['fr-pro', { phone: number(12, i), audience: 'professional' }]);
    for (let i = 0; i < 100; i++)
      groups.push(['suppressed', { email: `gone-${i}@example.com`, phone: number(13, i), audience: 'consumer' }]);
    const pseudonyms = await createPeople(groups.map(([, p]) => p));
    await append(pseudonyms.map((s) => record(s, 'call-consent', 'phone', 'granted', 'consent')));
    await append(
      pseudonyms
        .filter((_, i) => groups[i][0] === 'fr-objected')
        .map((s) => record(s, 'calls', 'phone', 'objected', 'legitimate-interest'))
    );

    const listed = Array.from({ length: 800 }, (_, i) => number(20, i));
    await plugin('suppression').add([
      ...listed.map((phone) => ({
        identifierHash: hash('phone', phone),
        identifierType: 'phone' as const,
        channel: 'phone' as const,
        reason: 'opposition-list' as const,
        source: 'bloctel',
      })),
      ...groups
        .filter(([kind]) => kind === 'suppressed')
        .map(([, p]) => ({
          identifierHash: hash('email', p.email!),
          identifierType: 'email' as const,
          channel: 'all' as const,
          reason: 'objection' as const,
          source: 'test',
        })),
    ]);

    refs = [];
    kinds = [];
    const add = (kind: Kind, ref: Record<string, string>) => (refs.push(ref), kinds.push(kind));
    groups.forEach(([kind, p], i) => add(kind, i % 5 === 0 ? { subject: pseudonyms[i] } : { phone: p.phone! }));
    listed.forEach((phone, i) => add('unknown-listed', { phone: i % 2 ? phone : `0${phone.slice(3)}` }));
    for (let i = 0; i < 1500; i++) add('unknown', { phone: number(30, i) });
    for (let i = 0; i < 20; i++) add('invalid', { phone: `+33${i}` });
  });

  it.each([
    ['calls', '2026-08-10', BEFORE, false],
    ['calls', '2026-08-11', AFTER, true],
    ['call-consent', '2026-08-10', BEFORE, false],
    ['call-consent', '2026-08-11', AFTER, true],
  ] as const)(
    '%s on %s (service): every answer, in order, in a few dozen queries',
    async (purpose, _day, now, after) => {
      expect(refs.length).toBeGreaterThan(3000);
      const { result, queries } = await countQueries(
        async () => (await eligibility().checkMany(purpose, 'phone', refs, now)) as Eligibility[]
      );
      const basis = purpose === 'calls' ? 'legitimate-interest' : 'consent';
      // Invalid numbers cannot be looked up, so they are nobody; they are asserted like the unknown.
      expect(result).toEqual(
        kinds.map((kind) => ({ basis, ...expected(kind === 'invalid' ? 'unknown' : kind, purpose, after) }))
      );
      const count = (reason: string) => result.filter((r) => r.reasons.includes(reason)).length;
      expect(count('opposition-list')).toBe(800);
      expect(count('suppressed')).toBe(100);
      expect(queries).toBeGreaterThan(0);
      expect(queries).toBeLessThan(60);
    }
  );

  it('the route answers the same mix for today, each item echoing its reference', async () => {
    const res = await post({ purpose: 'calls', channel: 'phone', subjects: refs });
    expect(res.status).toBe(200);
    const after = legalDate(new Date(), 'fr') >= FR_PHONE_CONSENT_FROM;
    expect(res.body.data).toEqual(
      refs.map((ref, i) => ({
        ref,
        basis: 'legitimate-interest',
        ...expected(kinds[i] === 'invalid' ? 'unknown' : kinds[i], 'calls', after),
      }))
    );
  });
});
