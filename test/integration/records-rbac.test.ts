/**
 * RBAC on the records routes (spec 4.3): reading the ledger (`records.read`), exports (`records.export`),
 * erasure (`subjects.erase`) and the settings (`settings.read`) are each their own action. A role holding
 * every other action of the plugin gets 403 on a route; a role holding only its action gets 200.
 */
import { PERMISSIONS } from '../../server/src/constants';
import { adminApi, createAdminWithActions } from '../harness/admin';
import { type Notices, setupForm, shownNotices, submitConsent } from '../harness/consent-setup';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let ada: string;
let eve: string;

const submit = async (email: string, notices: Notices) =>
  (await submitConsent(app, { email }, { newsletter: true }, notices)).receipt.piiPrincipalId;

beforeAll(async () => {
  app = await bootStrapi();
  const notices = shownNotices(await setupForm(app.strapi, ['newsletter']));
  ada = await submit('ada@example.com', notices);
  eve = await submit('eve@example.com', notices);
});
afterAll(() => app?.stop());

type Method = 'get' | 'post';
const routes = (): Array<[Method, string, string]> => [
  ['get', '/consent/events', 'records.read'],
  ['get', '/consent/events?email=ada@example.com&page=1&pageSize=10', 'records.read'],
  ['get', '/consent/subjects?email=ada@example.com', 'records.read'],
  ['get', `/consent/subjects/${ada}`, 'records.read'],
  ['get', '/consent/stats', 'records.read'],
  ['post', '/consent/ledger/verify', 'records.read'],
  ['get', '/consent/events/export?format=csv', 'records.export'],
  ['get', '/consent/events/export?format=ndjson', 'records.export'],
  ['get', `/consent/subjects/${ada}/export`, 'records.export'],
  // Erasing is the same answer however often it is asked, so the 200 call may repeat.
  ['post', `/consent/subjects/${eve}/erase`, 'subjects.erase'],
  ['get', '/consent/settings', 'settings.read'],
];

const ALL = Object.values(PERMISSIONS).map((a) => `plugin::consent.${a}`);
const call = (api: ReturnType<typeof adminApi>, method: Method, path: string) =>
  method === 'post' ? api.post(path) : api.get(path);

describe.each(['records.read', 'records.export', 'subjects.erase', 'settings.read'])('%s', (action) => {
  it('a role with every other action of the plugin gets 403 on its routes', async () => {
    const others = ALL.filter((a) => a !== `plugin::consent.${action}`);
    const api = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, `without-${action}@consent.test`, others)
    );
    for (const [method, path] of routes().filter(([, , a]) => a === action)) {
      const res = await call(api, method, path);
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
  });

  it('a role with only this action gets 200 on them', async () => {
    const api = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, `only-${action}@consent.test`, [`plugin::consent.${action}`])
    );
    for (const [method, path] of routes().filter(([, , a]) => a === action)) {
      const res = await call(api, method, path);
      expect([method, path, res.status]).toEqual([method, path, 200]);
    }
  });
});

it('reading does not allow exporting or erasing', async () => {
  const api = adminApi(
    app.strapi,
    await createAdminWithActions(app.strapi, 'reader-only@consent.test', ['plugin::consent.records.read'])
  );
  for (const [method, path] of routes().filter(([, , a]) => a === 'records.export' || a === 'subjects.erase')) {
    expect([path, (await call(api, method, path)).status]).toEqual([path, 403]);
  }
  // The person is still there: the 403 erased nothing.
  const subject = await app.strapi.plugin('consent').service('subjects').byPseudonym(ada);
  expect(subject.email).toBe('ada@example.com');
});
