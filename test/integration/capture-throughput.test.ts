/**
 * What makes submissions fast must not make them less right: submissions that arrive together share one
 * transaction (group commit) yet each is recorded exactly once (A10, J1), a bad one fails alone and writes
 * nothing; and the forms, purposes and notices read from memory are never staler than the database (A9).
 */
import { TABLE, UID } from '../../server/src/constants';
import { FORM_ORIGIN, publishNotice, rowCounts, setupForm, shownNotices, type Notices } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let notices: Notices;

beforeAll(async () => {
  app = await bootStrapi();
  notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners']));
});
afterAll(() => app?.stop());

const capture = () => app.strapi.plugin('consent').service('capture');
const request = { ownOrigins: [], gpc: false, origin: FORM_ORIGIN };
const body = (email: string, shown: Notices = notices) => ({
  form: 'signup',
  subject: { email },
  choices: { newsletter: true },
  notices: shown,
});

/** Counts the transactions the database is asked to open while `fn` runs. */
const countTransactions = async (fn: () => Promise<unknown>) => {
  let begins = 0;
  const onQuery = (q: { sql: string }) => {
    if (/^\s*(begin|start transaction)/i.test(q.sql)) begins += 1;
  };
  const client = app.strapi.db.connection.client;
  client.on('query', onQuery);
  try {
    await fn();
  } finally {
    client.off('query', onQuery);
  }
  return begins;
};

describe('group commit (A10, J1)', () => {
  it('records 30 simultaneous submissions once each, in fewer transactions, on one verifiable chain', async () => {
    const before = await rowCounts(app.strapi);
    const emails = Array.from({ length: 30 }, (_, i) => `burst${i}@example.com`);
    let results: Array<{ subject: string; eventIds: string[] }> = [];
    const transactions = await countTransactions(async () => {
      results = await Promise.all(emails.map((e) => capture().submit(body(e), request)));
    });
    expect(transactions).toBeLessThan(emails.length);
    expect(new Set(results.map((r) => r.subject)).size).toBe(30);
    const after = await rowCounts(app.strapi);
    expect(after.subjects - before.subjects).toBe(30);
    expect(after.receipts - before.receipts).toBe(30);
    // Newsletter granted and partners refused for each person: two events each, no more.
    expect(after.events - before.events).toBe(60);
    const ids = results.flatMap((r) => r.eventIds);
    expect(new Set(ids).size).toBe(60);
    expect(await app.strapi.plugin('consent').service('ledger').verify()).toMatchObject({ ok: true });
    // Ids sort like the chain (time-ordered, so every index insert lands at the end of its index).
    const chain = await app.strapi.db.connection(TABLE.event).select('seq', 'event_id').orderBy('seq');
    const eventIds = chain.map((r: { event_id: string }) => r.event_id);
    expect([...eventIds].sort()).toEqual(eventIds);
  });

  it('two submissions for the same new person in one burst make one subject', async () => {
    const results = await Promise.all([
      capture().submit(body('twice@example.com'), request),
      capture().submit({ ...body('TWICE@example.com'), choices: { partners: true } }, request),
    ]);
    expect(results[0].subject).toBe(results[1].subject);
    // In whichever order they were recorded, an unticked box withdrew nothing: both grants stand.
    const states = await app.strapi.db.connection(TABLE.state).where({ subject: results[0].subject });
    expect(Object.fromEntries(states.map((r: { purpose: string; state: string }) => [r.purpose, r.state]))).toEqual({
      newsletter: 'granted',
      partners: 'granted',
    });
  });

  it('a person given a phone by a later submission of the same group is one subject holding both', async () => {
    const results = await Promise.all([
      capture().submit(body('phoned@example.com'), request),
      capture().submit(
        { ...body('phoned@example.com'), subject: { email: 'phoned@example.com', phone: '+33 6 12 34 56 78' } },
        request
      ),
    ]);
    expect(results[0].subject).toBe(results[1].subject);
    const rows = await app.strapi.db.connection(TABLE.subject).where({ pseudonym: results[0].subject });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: 'phoned@example.com', phone: '+33612345678' });
  });

  it('a group reads its people under the ledger lock: one created by the writer it waited for is found, not created again', async () => {
    // On PostgreSQL the lock and this read share a round trip; the read must still see what the writer
    // holding the lock committed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken!: () => void;
    const lockTaken = new Promise<void>((resolve) => (taken = resolve));
    const writer = app.strapi.db.transaction(async () => {
      await app.strapi.plugin('consent').service('ledger').lock();
      const [person] = await app.strapi
        .plugin('consent')
        .service('subjects')
        .resolveMany([{ identifiers: { email: 'raced@example.com' }, profile: {} }]);
      taken();
      await held;
      return person.subject.pseudonym as string;
    });
    await lockTaken;
    // The submission's group asks for the lock (PostgreSQL, MySQL) or for SQLite's one connection, and waits.
    let asked!: () => void;
    const askedForLock = new Promise<void>((resolve) => (asked = resolve));
    const onQuery = (q: { sql: string }) => {
      if (/for update/i.test(q.sql)) asked();
    };
    const client = app.strapi.db.connection.client;
    client.on('query', onQuery);
    try {
      const submitted = capture().submit(body('raced@example.com'), request);
      await Promise.race([askedForLock, new Promise((resolve) => setTimeout(resolve, 500))]);
      release();
      const [pseudonym, result] = await Promise.all([writer, submitted]);
      expect(result.subject).toBe(pseudonym);
      expect(await app.strapi.db.connection(TABLE.subject).where({ email: 'raced@example.com' })).toHaveLength(1);
    } finally {
      client.off('query', onQuery);
    }
  });

  it('listeners hear of grouped grants once committed, with the address each was given for', async () => {
    const heard: Array<{ subject: { id: string; email?: string } }> = [];
    const listener = async ({ consent }: { consent: { subject: { id: string; email?: string } } }) => {
      heard.push(consent);
    };
    app.strapi.eventHub.on('consent.granted', listener);
    try {
      const results = await Promise.all(
        ['ear1@example.com', 'ear2@example.com'].map((e) => capture().submit(body(e), request))
      );
      // The post-commit emit runs after the answers: wait for it.
      for (let i = 0; i < 50 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard.map((h) => h.subject).sort((a, b) => a.email!.localeCompare(b.email!))).toEqual([
        { id: results[0].subject, email: 'ear1@example.com' },
        { id: results[1].subject, email: 'ear2@example.com' },
      ]);
    } finally {
      app.strapi.eventHub.off('consent.granted', listener);
    }
  });

  it('a submission that fails while recording fails alone and writes nothing; the others of its group are recorded', async () => {
    const before = await rowCounts(app.strapi);
    const plans = await Promise.all(
      ['g1@example.com', 'g2@example.com', 'bad@example.com', 'g3@example.com'].map((e) =>
        capture().prepare(body(e), request)
      )
    );
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const outcomes = await Promise.allSettled(
      plans.map((plan, i) => capture().commit(plan, i === 2 ? { evidence: circular } : {}))
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const after = await rowCounts(app.strapi);
    expect(after.subjects - before.subjects).toBe(3);
    expect(after.receipts - before.receipts).toBe(3);
    expect(after.events - before.events).toBe(6);
    const bad = await app.strapi.plugin('consent').service('subjects').find({ email: 'bad@example.com' });
    expect(bad).toBeNull();
    expect(await app.strapi.plugin('consent').service('ledger').verify()).toMatchObject({ ok: true });
  });
});

describe('forms, purposes and notices read from memory (A9)', () => {
  const submitHttp = (payload: Record<string, unknown>) =>
    app.http().post('/api/consent/submissions').set({ Origin: FORM_ORIGIN }).send(payload);

  it('a second submission reads none of them again', async () => {
    await submitHttp(body('warm@example.com'));
    const tables: string[] = [];
    const onQuery = (q: { sql: string }) => {
      const m = /from [`"]?(consent_forms|consent_purposes|consent_notices)\b/i.exec(q.sql);
      if (m) tables.push(m[1]);
    };
    app.strapi.db.connection.client.on('query', onQuery);
    try {
      expect((await submitHttp(body('cached@example.com'))).status).toBe(201);
    } finally {
      app.strapi.db.connection.client.off('query', onQuery);
    }
    expect(tables).toEqual([]);
  });

  it('a new notice version published through any Strapi path makes the old one outdated at once', async () => {
    await submitHttp(body('before@example.com'));
    await publishNotice(app.strapi, 'newsletter', 'en', 'About the newsletter, revised');
    const res = await submitHttp(body('after@example.com'));
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('NoticeOutdated');
    notices = shownNotices(await app.strapi.plugin('consent').service('forms').definition('signup', 'en'));
    expect((await submitHttp(body('after@example.com'))).status).toBe(201);
  });

  it('a purpose archived with the query engine directly is refused at the next submission', async () => {
    await app.strapi
      .plugin('consent')
      .service('purposes')
      .create({ key: 'flash', name: 'Flash sales', legalBasis: 'consent', channels: ['email'] });
    await publishNotice(app.strapi, 'flash');
    await app.strapi
      .plugin('consent')
      .service('forms')
      .update('signup', { purposes: ['newsletter', 'partners', 'flash'] });
    notices = shownNotices(await app.strapi.plugin('consent').service('forms').definition('signup', 'en'));
    expect((await submitHttp({ ...body('flash1@example.com'), choices: { flash: true } })).status).toBe(201);
    await app.strapi.db.query(UID.purpose).update({ where: { key: 'flash' }, data: { active: false } });
    const res = await submitHttp({ ...body('flash2@example.com'), choices: { flash: true } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('archived');
  });

  it('an eligibility check sees a purpose archived a moment ago (the check reads the same catalogue)', async () => {
    const eligibility = app.strapi.plugin('consent').service('eligibility');
    await app.strapi
      .plugin('consent')
      .service('purposes')
      .create({ key: 'digest', name: 'Digest', legalBasis: 'consent', channels: ['email'] });
    expect((await eligibility.check('digest', 'email', { email: 'nobody@example.com' })).reasons).not.toContain(
      'purpose-archived'
    );
    await app.strapi.plugin('consent').service('purposes').update('digest', { active: false });
    expect((await eligibility.check('digest', 'email', { email: 'nobody@example.com' })).reasons).toContain(
      'purpose-archived'
    );
  });

  it('a deleted form is refused at the next submission', async () => {
    await app.strapi
      .plugin('consent')
      .service('forms')
      .create({
        key: 'short-lived',
        name: 'Short-lived',
        purposes: ['newsletter'],
        allowedOrigins: [FORM_ORIGIN],
        successUrl: `${FORM_ORIGIN}/thanks`,
      });
    const payload = { ...body('brief@example.com'), form: 'short-lived', notices: { newsletter: notices.newsletter } };
    expect((await submitHttp(payload)).status).toBe(201);
    await app.strapi.plugin('consent').service('forms').remove('short-lived');
    const res = await submitHttp(payload);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('no active form');
  });

  it('an edit made by another instance (data and stamp changed in the database) is seen at the next submission', async () => {
    const knex = app.strapi.db.connection;
    await submitHttp(body('other1@example.com'));
    // What another instance's write leaves behind: the row changed and the catalogue stamp replaced.
    await knex(TABLE.form)
      .where({ key: 'signup' })
      .update({ allowed_origins: JSON.stringify(['https://elsewhere.example']) });
    await knex(TABLE.ledgerHead).where({ name: 'catalogue' }).update({ hash: 'changed-by-another-instance' });
    const res = await submitHttp(body('other2@example.com'));
    expect(res.status).toBe(403);
    await app.strapi
      .plugin('consent')
      .service('forms')
      .update('signup', { allowedOrigins: [FORM_ORIGIN] });
    expect((await submitHttp(body('other3@example.com'))).status).toBe(201);
  });
});
