/**
 * Two instances starting at the same moment on an empty database (issue 20 part 4; spec 2: several
 * instances behind a load balancer). Strapi's schema sync takes no lock, and without the plugin's boot
 * lock (database/boot-lock) the second instance dies on PostgreSQL creating `strapi_migrations` twice.
 * With it both boot, the schema and the first-boot rows (Strapi's roles, the ledger's head) exist once, and
 * both instances append to one chain. SQLite has one writer process: jest.config.js runs this file on
 * PostgreSQL and MariaDB only.
 */
import { TABLE } from '../../server/src/constants';
import { startChildInstance, type ChildInstance } from '../harness/child-instance';
import { consentEvent } from '../harness/fixtures';
import { createTestDatabase, type TestDatabase } from '../harness/database';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

describe('simultaneous first boot', () => {
  let database: TestDatabase;
  let instances: ChildInstance[] = [];
  let app: TestStrapi | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await replayThenStop(app);
    await database?.drop();
  });

  it('both instances boot on one empty database and create the schema once', async () => {
    const started = await Promise.allSettled([startChildInstance(database), startChildInstance(database)]);
    instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'booted'))).toEqual(['booted', 'booted']);

    // Both write to one chain.
    await Promise.all(
      instances.map((instance, i) =>
        instance.append(Array.from({ length: 5 }, (_, n) => [consentEvent({ subject: `s${i}-${n}` })]))
      )
    );

    app = await bootStrapi({ database });
    const knex = app.strapi.db.connection;
    const count = async (table: string) => Number(((await knex(table).count({ n: '*' })) as { n: number }[])[0].n);
    // First-boot rows made once: Strapi's three admin roles, the two users-permissions roles, one default
    // locale, and each of the plugin's head rows (the ledger's, the catalogue stamp) once.
    expect(await count('admin_roles')).toBe(3);
    expect(await count('up_roles')).toBe(2);
    expect(await count('i18n_locale')).toBe(1);
    const heads = (await knex(TABLE.ledgerHead).select('name')).map((r: { name: string }) => r.name).sort();
    expect(heads).toEqual([...new Set(heads)]);
    expect(heads).toContain('main');
    expect(await app.strapi.plugin('consent').service('ledger').verify()).toMatchObject({
      ok: true,
      checked: 10,
      firstBadEvent: null,
    });
  });
});
