/**
 * `POST /api/consent/submissions` (spec 4.1): the four criteria of consent (A1–A6), the exact notice
 * (A9), proof of the act (A10), identifiers (normalised, keyed hash), GPC (F1–F3, F6), origins and the
 * plain HTML form path.
 */
import { compactVerify, createLocalJWKSet } from 'jose';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { publishNotice, rowCounts, setupForm, shownNotices } from '../harness/consent-setup';

let app: TestStrapi;
let notices: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi));
});
afterAll(() => replayThenStop(app));

const submit = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set({ Origin: ORIGIN, ...headers })
    .send(body);

const states = async (pseudonym: string) =>
  Object.fromEntries(
    (await app.strapi.db.connection('consent_states').where({ subject: pseudonym })).map(
      (r: { purpose: string; state: string }) => [r.purpose, r.state]
    )
  );

describe('A1, A3, A6: only an explicit tick grants, and nothing is conditional on consent', () => {
  it('ticked → granted, shown-but-unticked → refused, LI box untouched → only `informed` (C3); 201 with receipt', async () => {
    const res = await submit({
      form: 'signup',
      locale: 'en',
      subject: { email: '  Alice@Example.COM ' },
      choices: { newsletter: true, partners: false },
      notices,
      context: { url: 'https://shop.example/join?email=alice@example.com#top' },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toEqual({ newsletter: 'granted', partners: 'refused', postal: 'none' });
    const receipt = res.body.data.receipt;
    const events = await app.strapi.db
      .connection('consent_events')
      .where({ receipt_id: receipt.receiptId })
      .orderBy('seq');
    expect(events.map((e: { purpose: string; action: string }) => [e.purpose, e.action])).toEqual([
      ['newsletter', 'granted'],
      ['partners', 'refused'],
      // C3: the person was shown the right to object; proof only, no state.
      ['postal', 'informed'],
    ]);
    // A10: collection point without the query string, notice reference, minimised context.
    expect(events[0]).toMatchObject({ form_key: 'signup', page_url: 'https://shop.example/join', notice_version: 1 });
    expect(events[0].notice_hash).toBe(notices.newsletter.hash);
    const subject = await app.strapi.db.connection('consent_subjects').where({ pseudonym: events[0].subject }).first();
    expect(subject.email).toBe('alice@example.com');
    expect(subject.email_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(events)).not.toContain('alice');
  });

  it('all boxes unticked still succeeds (A6) and grants nothing', async () => {
    const res = await submit({ form: 'signup', subject: { email: 'bob@example.com' }, choices: {}, notices });
    expect(res.status).toBe(201);
    expect(res.body.data.states).toEqual({ newsletter: 'refused', partners: 'refused', postal: 'none' });
  });

  it('an unticked box never withdraws a consent already given', async () => {
    await submit({ form: 'signup', subject: { email: 'carol@example.com' }, choices: { newsletter: true }, notices });
    const res = await submit({ form: 'signup', subject: { email: 'carol@example.com' }, choices: {}, notices });
    expect(res.body.data.states.newsletter).toBe('granted');
  });
});

describe('receipts (J3): signed, verifiable with the published keys', () => {
  it('verifies with jose and carries the 27560 / Kantara fields', async () => {
    const res = await submit({
      form: 'signup',
      subject: { email: 'dave@example.com' },
      choices: { partners: true },
      notices,
    });
    const { jws, ...receipt } = res.body.data.receipt;
    const keys = createLocalJWKSet(JSON.parse((await app.http().get('/api/consent/jwks.json')).text));
    const { payload } = await compactVerify(jws, keys);
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(receipt);
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      schemaVersion: expect.stringMatching(/^iso27560:2023/),
      piiControllers: [{ piiController: 'Example Shop SAS' }],
      collectionMethod: 'web-form',
      collectionPoint: { form: 'signup' },
      jurisdiction: 'fr',
    });
    expect(receipt.purposes.find((p: { purpose: string }) => p.purpose === 'partners')).toMatchObject({
      legalBasis: 'consent',
      decision: 'granted',
      notice: { version: 1, hash: notices.partners.hash, locale: 'en' },
      thirdPartyName: ['Partner GmbH'],
    });
  });
});

describe('GPC (F1–F3, F6)', () => {
  it('Sec-GPC: 1 objects to honour-GPC purposes with method signal, unless ticked in the same request', async () => {
    const res = await submit(
      { form: 'signup', subject: { email: 'erin@example.com' }, choices: {}, notices },
      { 'Sec-GPC': '1' }
    );
    expect(res.body.data.states.newsletter).toBe('objected');
    const event = await app.strapi.db
      .connection('consent_events')
      .where({ receipt_id: res.body.data.receipt.receiptId, purpose: 'newsletter' })
      .first();
    expect(event.method).toBe('signal');
    const ticked = await submit(
      { form: 'signup', subject: { email: 'frank@example.com' }, choices: { newsletter: true }, notices },
      { 'Sec-GPC': '1' }
    );
    expect(ticked.body.data.states.newsletter).toBe('granted');
  });
  it('any other value is ignored', async () => {
    const res = await submit(
      { form: 'signup', subject: { email: 'gina@example.com' }, choices: {}, notices },
      { 'Sec-GPC': 'true' }
    );
    expect(res.body.data.states.newsletter).toBe('refused');
  });
});

describe('origin and notice version', () => {
  it('a foreign origin is refused with 403 and writes nothing', async () => {
    const before = await rowCounts(app.strapi);
    const res = await submit(
      { form: 'signup', subject: { email: 'x@example.com' }, choices: {}, notices },
      { Origin: 'https://evil.example' }
    );
    expect(res.status).toBe(403);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });

  it('"Origin: null" (a no-referrer page) is refused with 403 naming the Referrer-Policy to use, and writes nothing', async () => {
    const before = await rowCounts(app.strapi);
    const res = await submit(
      { form: 'signup', subject: { email: 'x@example.com' }, choices: {}, notices },
      { Origin: 'null' }
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/Referrer-Policy "same-origin"/);
    expect(await rowCounts(app.strapi)).toEqual(before);
  });
});

describe('plain HTML form (no JavaScript)', () => {
  it('urlencoded with "on" ticks; the browser is redirected to the success URL with the receipt id', async () => {
    const res = await app
      .http()
      .post('/api/consent/submissions')
      .set({ Origin: ORIGIN, Accept: 'text/html' })
      .type('form')
      .send(
        `form=signup&locale=en&subject%5Bemail%5D=hana%40example.com&subject%5Bphone%5D=&choices%5Bnewsletter%5D=on` +
          Object.entries(notices)
            .map(([k, n]) => `&notices%5B${k}%5D%5Bversion%5D=${n.version}&notices%5B${k}%5D%5Bhash%5D=${n.hash}`)
            .join('')
      );
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^https:\/\/shop\.example\/thanks\?receipt=[0-9a-f-]{36}&locale=en$/);
    const subject = await app.strapi.db.connection('consent_subjects').where({ email: 'hana@example.com' }).first();
    expect(await states(subject.pseudonym)).toEqual({ newsletter: 'granted', partners: 'refused' });
  });
});

describe('A9: the notice shown must be the current published version', () => {
  let previous: { version: number; hash: string };
  it('after a new version is published, the old one answers 409 NoticeOutdated with the current version, and nothing is written', async () => {
    previous = notices.partners;
    const next = await publishNotice(app.strapi, 'partners', 'en', 'Offers from our partners (v2)');
    const before = await rowCounts(app.strapi);
    const res = await submit({
      form: 'signup',
      subject: { email: 'ivan@example.com' },
      choices: { partners: true },
      notices,
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      status: 409,
      name: 'NoticeOutdated',
      details: {
        outdated: [
          { purpose: 'partners', shown: notices.partners, current: { version: 2, hash: next.hash, locale: 'en' } },
        ],
      },
    });
    expect(await rowCounts(app.strapi)).toEqual(before);

    const retry = await submit({
      form: 'signup',
      subject: { email: 'ivan@example.com' },
      choices: { partners: true },
      notices: { ...notices, partners: { version: 2, hash: next.hash } },
    });
    expect(retry.status).toBe(201);
    expect(
      retry.body.data.receipt.purposes.find((p: { purpose: string }) => p.purpose === 'partners').notice.version
    ).toBe(2);
    notices = { ...notices, partners: { version: 2, hash: next.hash } };
  });

  it('a plain HTML form with an outdated notice gets a page that asks to reload, with status 409', async () => {
    const res = await app
      .http()
      .post('/api/consent/submissions')
      .set({ Origin: ORIGIN, Accept: 'text/html', Referer: 'https://shop.example/join' })
      .type('form')
      .send(
        `form=signup&locale=fr&subject%5Bemail%5D=jo%40example.com&choices%5Bnewsletter%5D=on&notices%5Bnewsletter%5D%5Bversion%5D=1&notices%5Bnewsletter%5D%5Bhash%5D=${notices.newsletter.hash}&notices%5Bpartners%5D%5Bversion%5D=1&notices%5Bpartners%5D%5Bhash%5D=${previous.hash}`
      );
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Le texte du formulaire a changé');
    expect(res.text).toContain('href="https://shop.example/join"');
  });
});
