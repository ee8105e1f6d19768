/**
 * Two Strapi instances on one database append at the same time (spec 2: safe behind a load balancer):
 * one in this process, one in a child process. The chain must stay linear, gap-free and verifiable.
 * SQLite is a single-process database, so jest.config.js runs this file on PostgreSQL and MariaDB only.
 */
import { TABLE } from '../../server/src/constants';
import { startChildInstance, type ChildInstance } from '../harness/child-instance';
import { consentEvent } from '../harness/fixtures';
import { setupForm, shownNotices } from '../harness/consent-setup';
import { createTestDatabase, type TestDatabase } from '../harness/database';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

describe('two instances, one database', () => {
  let database: TestDatabase;
  let a: TestStrapi;
  let b: ChildInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await bootStrapi({ database });
    b = await startChildInstance(database);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  const event = (subject: string) => consentEvent({ subject });

  it('keeps one chain when both append concurrently', async () => {
    const ledgerA = a.strapi.plugin('consent').service('ledger');
    const rounds = 25;
    await Promise.all([
      ...Array.from({ length: rounds }, (_, i) => ledgerA.append([event(`a-${i}`), event(`a-${i}-bis`)])),
      b.append(Array.from({ length: rounds }, (_, i) => [event(`b-${i}`)])),
    ]);
    const seqs = (await a.strapi.db.connection(TABLE.event).select('seq').orderBy('seq')).map((r: { seq: unknown }) =>
      Number(r.seq)
    );
    expect(seqs).toEqual(Array.from({ length: rounds * 3 }, (_, i) => i + 1));
    expect(await ledgerA.verify()).toMatchObject({ ok: true, checked: rounds * 3, pruned: 0, firstBadEvent: null });
    // Both instances wrote: the subjects of each are in the ledger.
    const subjects = new Set(
      (await a.strapi.db.connection(TABLE.event).select('subject')).map((r: { subject: string }) => r.subject)
    );
    expect(subjects.has('a-0') && subjects.has('b-0')).toBe(true);
  });

  it('submissions for the same new people on both instances make one subject each and one chain', async () => {
    const notices = shownNotices(await setupForm(a.strapi, ['newsletter', 'partners']));
    const request = { ownOrigins: [], gpc: false };
    const body = (i: number) => ({
      form: 'signup',
      subject: { email: `person${i % 5}@example.com` },
      choices: { newsletter: true },
      notices,
    });
    const captureA = a.strapi.plugin('consent').service('capture');
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => captureA.submit(body(i), request)),
      b.call(
        'capture',
        'submit',
        Array.from({ length: 10 }, (_, i) => [body(i + 3), request])
      ),
    ]);
    const subjects = await a.strapi.db.connection(TABLE.subject).select('email', 'pseudonym');
    expect(subjects.map((s: { email: string }) => s.email).sort()).toEqual(
      Array.from({ length: 5 }, (_, i) => `person${i}@example.com`)
    );
    const verified = await a.strapi.plugin('consent').service('ledger').verify();
    expect(verified).toMatchObject({ ok: true, firstBadEvent: null });
    // One state per person, purpose and channel, whichever instance wrote last.
    const states = await a.strapi.db
      .connection(TABLE.state)
      .whereIn(
        'subject',
        subjects.map((s: { pseudonym: string }) => s.pseudonym)
      )
      .andWhere({ purpose: 'newsletter' });
    expect(states).toHaveLength(5);
  });

  it('rate limits count the hits of both instances together (spec 2: no state in process memory)', async () => {
    const limits = a.strapi.plugin('consent').service('rate-limits');
    // Five hits on the other instance, then this one: the limit of eight is shared.
    await b.call(
      'rate-limits',
      'window',
      Array.from({ length: 5 }, () => ['shared-test', 'client-key', 8, 3600])
    );
    for (let i = 0; i < 3; i++) await limits.window('shared-test', 'client-key', 8, 3600);
    await expect(limits.window('shared-test', 'client-key', 8, 3600)).rejects.toMatchObject({ name: 'RateLimitError' });
  });
});
