/**
 * Receipt signatures (spec 4.1 `GET /api/consent/jwks.json`; A10 proof): a receipt signed by the plugin is
 * verified by an independent JOSE library (jose) with nothing but the published JWK set, a changed
 * receipt fails, and keys from before a secret rotation stay published.
 */
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { createTestDatabase } from '../harness/database';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi();
});
afterAll(() => app?.stop());

const receipt = {
  id: 'r-1',
  controller: { name: 'Example SAS' },
  purposes: [{ key: 'newsletter', legalBasis: 'consent' }],
};
const jwks = async (t: TestStrapi) => JSON.parse((await t.http().get('/api/consent/jwks.json')).text);

it('publishes an Ed25519 JWK set, without authentication', async () => {
  const res = await app.http().get('/api/consent/jwks.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/application\/jwk-set\+json/);
  expect(JSON.parse(res.text).keys).toEqual([
    { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), alg: 'EdDSA', use: 'sig' },
  ]);
  expect(res.text).not.toMatch(/"d"/); // never the private part
});

it('a signed receipt verifies with jose and the published keys; a changed one does not', async () => {
  const jws: string = app.strapi.plugin('consent').service('receipts').sign(receipt);
  expect(decodeProtectedHeader(jws)).toMatchObject({ alg: 'EdDSA', typ: 'consent-receipt+jwt' });
  const keys = createLocalJWKSet(await jwks(app));
  const { payload } = await compactVerify(jws, keys);
  expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(receipt);

  const [header, body, signature] = jws.split('.');
  const forged = Buffer.from(JSON.stringify({ ...receipt, purposes: [] })).toString('base64url');
  await expect(compactVerify(`${header}.${forged}.${signature}`, keys)).rejects.toThrow(
    /signature verification failed/
  );
  expect(body).not.toBe(forged);
});

it('every instance with the same secret signs with the same key; a rotated secret keeps the old key published', async () => {
  // Strapi keeps process-wide state: one instance at a time in this process.
  await app.stop();
  app = undefined as never;
  const database = await createTestDatabase();
  try {
    const first = await bootStrapi({ database });
    const jwsBefore: string = first.strapi.plugin('consent').service('receipts').sign(receipt);
    const kidBefore = (await jwks(first)).keys[0].kid;
    await first.stop({ keepDatabase: true });

    const same = await bootStrapi({ database });
    expect((await jwks(same)).keys.map((k: { kid: string }) => k.kid)).toEqual([kidBefore]);
    await same.stop({ keepDatabase: true });

    const rotated = await bootStrapi({ database, env: { CONSENT_SECRET: 'a-completely-different-secret-0123456789' } });
    const set = await jwks(rotated);
    expect(set.keys).toHaveLength(2);
    expect(set.keys[1].kid).toBe(kidBefore);
    await compactVerify(jwsBefore, createLocalJWKSet(set));
    await rotated.stop({ keepDatabase: true });
  } finally {
    await database.drop();
  }
});
