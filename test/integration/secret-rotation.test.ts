/**
 * Rotating the plugin secret with live data (issue 20 part 2), on one database across three boots: people,
 * mailed links and receipts made under secret A keep working once B is the secret and A a previous one
 * (I2 keyed hashes, E2 links, J3 receipts); nobody is recorded twice; the rehash job moves everyone still
 * held in clear to B, after which B alone still finds them; a bad ring is refused at boot.
 */
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { createApiToken } from '../harness/api-token';
import { setupForm, shownNotices } from '../harness/consent-setup';
import { createTestDatabase, type TestDatabase } from '../harness/database';
import { expectStatesEqualReplay } from '../harness/ledger-replay';
import { confirmationLink, startSmtp, type SmtpListener } from '../harness/smtp';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

const A = 'rotation-secret-a-0123456789-0123456789';
const B = 'rotation-secret-b-0123456789-0123456789';
const ORIGIN = 'https://shop.example';

let database: TestDatabase;
let smtp: SmtpListener;
let app: TestStrapi | undefined;
let notices: Record<string, { version: number; hash: string }>;
let apiToken: string;

// What boot A leaves for the later boots to use.
const underA = {
  receipts: [] as string[],
  kid: '',
  confirmAda: '',
  unsubscribeAda: '',
  unsubscribeBob: '',
  preferencesCy: '',
};

const boot = async (secret: string, previousSecrets: string[] = []) => {
  app = await bootStrapi({
    database,
    env: { CONSENT_SECRET: secret, CONSENT_TEST_SMTP_PORT: String(smtp.port) },
    pluginConfig: { previousSecrets },
  });
  return app;
};
const stop = async () => {
  await app?.stop({ keepDatabase: true });
  app = undefined;
};

const consent = () => app!.strapi.plugin('consent');
const submit = (email: string, choices: Record<string, boolean>) =>
  app!
    .http()
    .post('/api/consent/submissions')
    .set('Origin', ORIGIN)
    .send({ form: 'signup', subject: { email }, choices, notices });
const check = (email: string, purpose = 'newsletter') =>
  consent().service('eligibility').check(purpose, 'email', { email });
const links = async (email: string, purpose = 'newsletter') => {
  const res = await app!
    .http()
    .get('/api/consent/headers')
    .query({ email, purpose })
    .set('Authorization', `Bearer ${apiToken}`);
  expect(res.status).toBe(200);
  return {
    unsubscribe: new URL(res.body.data.unsubscribeUrl).pathname,
    preferences: new URL(res.body.data.preferencesUrl).pathname,
  };
};
const subjectRows = () =>
  app!.strapi.db.connection('consent_subjects').select('pseudonym', 'email', 'email_hash').orderBy('id');
const jwks = async () => JSON.parse((await app!.http().get('/api/consent/jwks.json')).text);
const verifiesWithPublishedKeys = async (jws: string) => {
  await compactVerify(jws, createLocalJWKSet(await jwks()));
};

beforeAll(async () => {
  smtp = await startSmtp();
  database = await createTestDatabase();
  await boot(A);
  notices = shownNotices(await setupForm(app!.strapi, ['newsletter', 'doi']));
  apiToken = await createApiToken(app!.strapi, 'esp');

  for (const email of [
    'ada@example.com',
    'bob@example.com',
    'cy@example.com',
    'gus@example.com',
    'hal@example.com',
    'ivy@example.com',
  ]) {
    const res = await submit(email, { newsletter: true, doi: email === 'ada@example.com' });
    expect(res.status).toBe(201);
    underA.receipts.push(res.body.data.receipt.jws);
  }
  underA.kid = decodeProtectedHeader(underA.receipts[0]).kid!;
  underA.confirmAda = confirmationLink(await smtp.waitFor((m) => m.to.includes('ada@example.com'))).path;
  underA.unsubscribeAda = (await links('ada@example.com')).unsubscribe;
  underA.unsubscribeBob = (await links('bob@example.com')).unsubscribe;
  underA.preferencesCy = (await links('cy@example.com')).preferences;
  // Suppression entries under A: gus and ivy keep their identifiers, hal's are erased afterwards (only the entry knows him).
  for (const email of ['gus@example.com', 'hal@example.com', 'ivy@example.com']) {
    expect(
      (await app!.http().post('/api/consent/withdrawals').send({ subject: { email }, purposes: 'all' })).status
    ).toBe(202);
  }
  await app!.strapi.db
    .connection('consent_subjects')
    .where({ email: 'hal@example.com' })
    .update({ email: null, email_hash: null });
  expect(await check('ada@example.com')).toMatchObject({ eligible: true, state: 'granted' });
  await stop();
}, 120_000);

afterAll(async () => {
  try {
    if (app) await stop();
  } finally {
    await database?.drop();
    await smtp?.stop();
  }
});

describe('secret B with previousSecrets [A]', () => {
  beforeAll(() => boot(B, [A]), 60_000);
  afterAll(async () => {
    await expectStatesEqualReplay(app!.strapi);
    await stop();
  });

  it('I2: people recorded under A are found: eligibility answers granted', async () => {
    for (const email of ['ada@example.com', 'bob@example.com', 'cy@example.com']) {
      expect(await check(email)).toMatchObject({ eligible: true, state: 'granted' });
    }
  });

  it('I2: a new submission by someone recorded under A creates no second person, and rewrites their hash under B', async () => {
    const before = await subjectRows();
    const adaBefore = before.find((r) => r.email === 'ada@example.com')!;
    const res = await submit('ada@example.com', { newsletter: true });
    expect(res.status).toBe(201);
    const after = await subjectRows();
    expect(after).toHaveLength(before.length);
    const adaAfter = after.find((r) => r.email === 'ada@example.com')!;
    expect(adaAfter.pseudonym).toBe(adaBefore.pseudonym);
    expect(adaAfter.email_hash).toBe(consent().service('subjects').hash('email', 'ada@example.com'));
    expect(adaAfter.email_hash).not.toBe(adaBefore.email_hash);
    // Nobody else was touched: bob is still under A until he comes back or the rehash job runs.
    expect(after.find((r) => r.email === 'bob@example.com')!.email_hash).toBe(
      before.find((r) => r.email === 'bob@example.com')!.email_hash
    );
    expect(await check('bob@example.com')).toMatchObject({ eligible: true });
  });

  it('I2: suppression entries made under A still bar the address, also for a person erased since', async () => {
    for (const email of ['gus@example.com', 'hal@example.com']) {
      expect(await check(email)).toMatchObject({ eligible: false, reasons: expect.arrayContaining(['suppressed']) });
    }
  });

  it('E2, B3: a confirmation link mailed under A confirms', async () => {
    expect(await check('ada@example.com', 'doi')).toMatchObject({ state: 'pending' });
    const res = await app!.http().post(underA.confirmAda);
    expect(res.status).toBe(200);
    expect(await check('ada@example.com', 'doi')).toMatchObject({ eligible: true, state: 'granted' });
  });

  it('E2, E3: a one-click unsubscribe link made under A withdraws; a preference link made under A opens', async () => {
    const res = await app!.http().post(underA.unsubscribeAda).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    expect(await check('ada@example.com')).toMatchObject({ eligible: false, state: 'withdrawn' });
    expect((await app!.http().get(underA.preferencesCy).set('Accept', 'text/html')).status).toBe(200);
  });

  it('J3: receipts signed under A verify with the JWK set; new receipts are signed with B, and its key is published first', async () => {
    for (const jws of underA.receipts) await verifiesWithPublishedKeys(jws);
    const res = await submit('dee@example.com', { newsletter: true });
    expect(res.status).toBe(201);
    const kid = decodeProtectedHeader(res.body.data.receipt.jws).kid;
    expect(kid).not.toBe(underA.kid);
    await verifiesWithPublishedKeys(res.body.data.receipt.jws);
    expect((await jwks()).keys.map((k: { kid: string }) => k.kid)).toEqual([kid, underA.kid]);
  });

  it('the rehash job moves everyone held in clear and their suppression entries to B, once', async () => {
    const subjects = consent().service('subjects');
    const entries = () =>
      app!.strapi.db.connection('consent_suppressions').select('identifier_hash', 'reason', 'created_at').orderBy('id');
    // ivy withdraws again under B: her new entry has the same channel, reason and source as her entry under A.
    expect(
      (
        await app!
          .http()
          .post('/api/consent/withdrawals')
          .send({ subject: { email: 'ivy@example.com' }, purposes: 'all' })
      ).status
    ).toBe(202);
    const [gusBefore, halBefore, , ivyUnderB] = await entries();
    const first = await subjects.rehash({ pageSize: 2 });
    // bob, cy and gus were still under A (ada and ivy came back, dee is new, hal is erased); gus's entry
    // moves, ivy's entry under A merges into the one under B (the unique index allows one).
    expect(first).toMatchObject({ rehashed: 3, suppressionsRekeyed: 2 });
    for (const row of await subjectRows()) {
      if (row.email) expect(row.email_hash).toBe(subjects.hash('email', row.email));
    }
    // gus's entry moved, keeping the date the retention minimum counts from (I3); hal's stays under A.
    const [gusAfter, halAfter, ...ivyAfter] = await entries();
    expect(ivyAfter).toEqual([ivyUnderB]);
    expect(ivyUnderB.identifier_hash).toBe(subjects.hash('email', 'ivy@example.com'));
    expect(gusAfter).toEqual({ ...gusBefore, identifier_hash: subjects.hash('email', 'gus@example.com') });
    expect(gusAfter.identifier_hash).not.toBe(gusBefore.identifier_hash);
    expect(halAfter).toEqual(halBefore);
    expect(await subjects.rehash()).toMatchObject({ rehashed: 0, suppressionsRekeyed: 0 });
  });

  it('I2: an audience leaves out a person whose suppression entry is under A while their own hash is under B', async () => {
    const subjects = consent().service('subjects');
    const audience = async () => {
      const res = await app!
        .http()
        .get('/api/consent/audiences/newsletter')
        .set('Authorization', `Bearer ${apiToken}`)
        .buffer(true)
        .parse((r, cb) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (chunk: string) => (text += chunk));
          r.on('end', () => cb(null, text));
        });
      expect(res.status).toBe(200);
      return (res.body as string)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).email as string);
    };
    expect((await submit('kim@example.com', { newsletter: true })).status).toBe(201);
    expect(await audience()).toEqual(expect.arrayContaining(['bob@example.com', 'kim@example.com']));
    // Only the hash derived from kim's address under A, which no column holds, finds this entry.
    const [underB, underAOfKim] = subjects.hashes('email', 'kim@example.com');
    const [kim] = await app!.strapi.db.connection('consent_subjects').where({ email: 'kim@example.com' });
    expect(kim.email_hash).toBe(underB);
    await consent()
      .service('suppression')
      .add([
        { identifierHash: underAOfKim, identifierType: 'email', channel: 'email', reason: 'bounce', source: 'esp' },
      ]);
    expect(await check('kim@example.com')).toMatchObject({ eligible: false, reasons: ['suppressed'] });
    const listed = await audience();
    expect(listed).toContain('bob@example.com');
    expect(listed).not.toContain('kim@example.com');
  });
});

describe('secret B alone, after the rehash job', () => {
  beforeAll(() => boot(B), 60_000);
  afterAll(async () => {
    await expectStatesEqualReplay(app!.strapi);
    await stop();
  });

  it('I2: everyone held in clear is still found, and coming back creates nobody new', async () => {
    expect(await check('bob@example.com')).toMatchObject({ eligible: true, state: 'granted' });
    expect(await check('cy@example.com')).toMatchObject({ eligible: true, state: 'granted' });
    expect(await check('gus@example.com')).toMatchObject({
      eligible: false,
      reasons: expect.arrayContaining(['suppressed']),
    });
    const before = (await subjectRows()).length;
    expect((await submit('bob@example.com', { newsletter: true })).status).toBe(201);
    expect(await subjectRows()).toHaveLength(before);
  });

  it('J3: receipts signed under A still verify (their key stays in the JWK set)', async () => {
    for (const jws of underA.receipts) await verifiesWithPublishedKeys(jws);
    expect((await jwks()).keys.map((k: { kid: string }) => k.kid)).toContain(underA.kid);
  });

  it('E2: a link signed under the retired secret A is refused and changes nothing', async () => {
    const res = await app!.http().post(underA.unsubscribeBob).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(400);
    expect(await check('bob@example.com')).toMatchObject({ eligible: true, state: 'granted' });
  });
});

describe('a bad ring is refused at boot, naming the key', () => {
  it.each([
    [['too-short'], /consent\.previousSecrets\[0\] must be at least 32 characters/],
    [[A, A], /consent\.previousSecrets\[1\] appears twice/],
    [[B], /consent\.previousSecrets\[0\] is the current secret/],
  ])('%j', async (previousSecrets, message) => {
    await expect(boot(B, previousSecrets as string[])).rejects.toThrow(message);
    app = undefined;
  });
});
