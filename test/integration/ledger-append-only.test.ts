/**
 * The ledger (`consent-event`) is append-only (spec 3; A9, A10: the proof must stay as it was written).
 * Every path that could change or remove an event is tried: the query engine, the Document Service, the
 * Content Manager's HTTP API, and raw SQL through knex (stopped by database triggers). After each attempt
 * the event is still there, byte for byte.
 */
import { TABLE, UID } from '../../server/src/constants';
import { createSuperAdmin } from '../harness/admin';
import { rejectionOf } from '../harness/errors';
import { consentEvent } from '../harness/fixtures';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;

beforeAll(async () => {
  app = await bootStrapi();
});
afterAll(() => app?.stop());

/** Events come in through the ledger's write path, as in production. */
const appendEvent = async () => {
  const [stored] = await app.strapi
    .plugin('consent')
    .service('ledger')
    .append([consentEvent({ subject: 'subj-1' })]);
  return app.strapi.db.query(UID.event).findOne({ where: { eventId: stored.eventId } });
};

const snapshot = () => app.strapi.db.connection(TABLE.event).select('*').orderBy('id');

describe('the consent ledger refuses update and delete', () => {
  let event: { id: number; documentId: string };
  let before: unknown[];

  beforeAll(async () => {
    event = await appendEvent();
    await appendEvent();
    before = await snapshot();
  });

  afterEach(async () => {
    expect(await snapshot()).toEqual(before);
  });

  const query = () => app.strapi.db.query(UID.event);

  it('query engine: update', async () => {
    expect(await rejectionOf(query().update({ where: { id: event.id }, data: { state: 'withdrawn' } }))).toMatch(
      /append-only/
    );
  });
  it('query engine: updateMany', async () => {
    expect(await rejectionOf(query().updateMany({ where: {}, data: { state: 'withdrawn' } }))).toMatch(/append-only/);
  });
  it('query engine: delete', async () => {
    expect(await rejectionOf(query().delete({ where: { id: event.id } }))).toMatch(/append-only/);
  });
  it('query engine: deleteMany', async () => {
    expect(await rejectionOf(query().deleteMany({ where: {} }))).toMatch(/append-only/);
  });

  it('Document Service: update', async () => {
    expect(
      await rejectionOf(
        app.strapi.documents(UID.event).update({ documentId: event.documentId, data: { state: 'withdrawn' } } as never)
      )
    ).toMatch(/append-only/);
  });
  it('Document Service: delete', async () => {
    expect(await rejectionOf(app.strapi.documents(UID.event).delete({ documentId: event.documentId }))).toMatch(
      /append-only/
    );
  });

  describe('Content Manager HTTP API, as a super admin', () => {
    let token: string;
    beforeAll(async () => {
      token = await createSuperAdmin(app.strapi, 'ledger-super@consent.test');
    });
    const path = `/content-manager/collection-types/${UID.event}`;

    it('PUT is refused with a 4xx', async () => {
      const res = await app
        .http()
        .put(`${path}/${event.documentId}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ state: 'withdrawn' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
    it('DELETE is refused with a 4xx', async () => {
      const res = await app.http().delete(`${path}/${event.documentId}`).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
    it('bulk delete is refused with a 4xx', async () => {
      const res = await app
        .http()
        .post(`${path}/actions/bulkDelete`)
        .set('Authorization', `Bearer ${token}`)
        .send({ documentIds: [event.documentId] });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
  });

  describe('raw SQL through knex (database triggers)', () => {
    it('UPDATE is refused by the database', async () => {
      expect(
        await rejectionOf(app.strapi.db.connection(TABLE.event).where({ id: event.id }).update({ state: 'withdrawn' }))
      ).toMatch(/append-only/);
    });
    it('DELETE is refused by the database', async () => {
      expect(await rejectionOf(app.strapi.db.connection(TABLE.event).where({ id: event.id }).del())).toMatch(
        /append-only/
      );
    });
    it('TRUNCATE is refused on PostgreSQL', async () => {
      if (app.database.engine !== 'postgres') return; // SQLite has no TRUNCATE; MySQL's bypasses triggers (documented)
      expect(await rejectionOf(app.strapi.db.connection(TABLE.event).truncate())).toMatch(/append-only/);
    });
  });
});

describe('appending stays possible', () => {
  it('inserts new events through the query engine', async () => {
    const count = await app.strapi.db.query(UID.event).count();
    await appendEvent();
    expect(await app.strapi.db.query(UID.event).count()).toBe(count + 1);
  });

  it('other consent tables are not append-only (state is derived and updated in place)', async () => {
    const state = await app.strapi.db.query(UID.state).create({
      data: {
        subject: 's',
        purpose: 'p',
        channel: 'email',
        state: 'granted',
        legalBasis: 'consent',
        lastEventSeq: 1,
        changedAt: new Date(),
      },
    });
    const updated = await app.strapi.db
      .query(UID.state)
      .update({ where: { id: state.id }, data: { state: 'withdrawn' } });
    expect(updated.state).toBe('withdrawn');
  });
});

it('the triggers survive a restart on the same database (they are reinstalled idempotently at boot)', async () => {
  const database = app.database;
  await app.stop({ keepDatabase: true });
  app = await bootStrapi({ database });
  const [row] = await app.strapi.db.connection(TABLE.event).select('id').limit(1);
  expect(await rejectionOf(app.strapi.db.connection(TABLE.event).where({ id: row.id }).del())).toMatch(/append-only/);
  // bootStrapi({ database }) does not own the database: drop it here.
  await app.stop();
  await database.drop();
  app = undefined as never;
});
