/**
 * Importing an opposition list (spec 4.3, `POST /consent/opposition-lists/import`; C6: consumer telephone
 * is screened against Bloctel in France; I2: suppression entries outlive erasure): RBAC on the route, the
 * body streamed past Strapi's 56 kB text limit, numbers normalised to E.164 in the jurisdiction's country,
 * idempotent, and 200,000 numbers in bounded memory on every database engine.
 */
import { TABLE } from '../../server/src/constants';
import { adminApi, createAdminWithActions, createSuperAdmin } from '../harness/admin';
import { mb, measureMemory } from '../harness/memory';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

const ROUTE = '/consent/opposition-lists/import';

let app: TestStrapi;
let token: string;
beforeAll(async () => {
  app = await bootStrapi();
  token = await createSuperAdmin(app.strapi);
});
afterAll(() => app?.stop());

const suppression = () => app.strapi.plugin('consent').service('suppression');
const subjects = () => app.strapi.plugin('consent').service('subjects');
const phoneHash = (e164: string) => subjects().hash('phone', e164) as string;

/** Posts a list as the raw body, the way an admin's browser or curl --data-binary sends a file. */
const post = (query: string, body: string | Buffer, contentType = 'text/plain', auth: string | null = token) => {
  const req = app.http().post(`${ROUTE}${query}`).set('Content-Type', contentType);
  if (auth) req.set('Authorization', `Bearer ${auth}`);
  return req.send(body);
};

const rowsOf = (source: string) => app.strapi.db.connection(TABLE.suppression).where({ source }).select('*');

describe('access', () => {
  it('401 without an admin token', async () => {
    const res = await post('?source=bloctel', '0612345678\n', 'text/plain', null);
    expect(res.status).toBe(401);
  });

  it('403 for a role without plugin::consent.suppressions.manage (C6)', async () => {
    const other = await createAdminWithActions(app.strapi, 'no-lists@consent.test', [
      'plugin::consent.records.read',
      'plugin::consent.settings.read',
    ]);
    const res = await post('?source=bloctel-403', '0612345678\n', 'text/plain', other);
    expect(res.status).toBe(403);
    expect(await rowsOf('bloctel-403')).toHaveLength(0);
  });

  it('200 for a role with the action, and for a super admin', async () => {
    const manager = await createAdminWithActions(app.strapi, 'lists@consent.test', [
      'plugin::consent.suppressions.manage',
    ]);
    expect((await post('?source=rbac', '0612345601\n', 'text/plain', manager)).status).toBe(200);
    expect((await post('?source=rbac', '0612345602\n')).status).toBe(200);
  });

  it('registers the action', async () => {
    const res = await app.http().get('/admin/permissions').set('Authorization', `Bearer ${token}`);
    expect(JSON.stringify(res.body.data)).toContain('plugin::consent.suppressions.manage');
  });
});

describe('importing (C6)', () => {
  it('normalises French national and international spellings to one E.164 entry; a bad line is counted invalid', async () => {
    const res = await post(
      '?source=bloctel&channel=phone',
      '0612345678\n06 12 34 56 78\n+33 6 12 34 56 78\nnot a number\n0012\n'
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      read: 5,
      added: 1,
      alreadyPresent: 0,
      duplicates: 2,
      invalid: 2,
      durationMs: expect.any(Number),
    });
    const rows = await rowsOf('bloctel');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      identifier_hash: phoneHash('+33612345678'),
      identifier_type: 'phone',
      channel: 'phone',
      reason: 'opposition-list',
      source: 'bloctel',
    });
  });

  it('phone eligibility finds the entries by keyed hash, on the phone channel only', async () => {
    expect(await suppression().matching([phoneHash('+33612345678')], 'phone')).toEqual([
      {
        identifierHash: phoneHash('+33612345678'),
        reason: 'opposition-list',
        source: 'bloctel',
        createdAt: expect.any(Date),
      },
    ]);
    expect(await suppression().matching([phoneHash('+33612345678')], 'email')).toEqual([]);
    expect(await suppression().matching([phoneHash('+33612345679')], 'phone')).toEqual([]);
  });

  it('is idempotent: the same list again adds nothing and finds every entry present', async () => {
    const list = '0611111101\n0611111102\n0611111103\n0611111104\n';
    expect((await post('?source=bloctel-again', list)).body.data).toMatchObject({
      read: 4,
      added: 4,
      alreadyPresent: 0,
    });
    expect((await post('?source=bloctel-again', list)).body.data).toMatchObject({
      read: 4,
      added: 0,
      alreadyPresent: 4,
      invalid: 0,
    });
    // A longer list overlapping the first adds only what is new.
    const more = `${list}0611111105\n`;
    expect((await post('?source=bloctel-again', more)).body.data).toMatchObject({
      read: 5,
      added: 1,
      alreadyPresent: 4,
    });
    expect(await rowsOf('bloctel-again')).toHaveLength(5);
  });

  it('reads a CSV file with a header row, BOM, CRLF, quotes and comments', async () => {
    const csv =
      '\uFEFF# export 2025-06-01\r\nid;Numéro de téléphone;nom\r\n1;"06 22 33 44 55";"Dupont; Jean"\r\n2;+33 6 22 33 44 56;Martin\r\n\r\n3;;Sans numéro\r\n';
    const res = await post('?source=crm-export', csv, 'text/csv');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ read: 3, added: 2, alreadyPresent: 0, invalid: 1 });
    expect((await suppression().matching([phoneHash('+33622334455'), phoneHash('+33622334456')], 'phone')).length).toBe(
      2
    );
  });

  it('takes the column named by ?column=, and reads a Latin-1 file by its charset', async () => {
    const csv = Buffer.from('Nom,Portable,Fixe\nDupont,0633445566,0140000000\n', 'latin1');
    const res = await post('?source=crm-fixe&column=fixe', csv, 'text/csv; charset=ISO-8859-1');
    expect(res.body.data).toMatchObject({ read: 1, added: 1 });
    expect(await suppression().matching([phoneHash('+33140000000')], 'phone')).toHaveLength(1);
    const latin = Buffer.from('Numéro\n0633445577\n', 'latin1');
    expect((await post('?source=latin', latin, 'text/csv; charset=windows-1252')).body.data).toMatchObject({
      read: 1,
      added: 1,
    });
  });

  it('imports an email list on the email channel', async () => {
    const res = await post(
      '?source=robinson&channel=email',
      'email\nJane@Example.COM\njane@example.com\nnot-an-address\n',
      'text/csv'
    );
    expect(res.body.data).toMatchObject({ read: 3, added: 1, duplicates: 1, invalid: 1 });
    const hash = subjects().hash('email', 'jane@example.com');
    expect(await suppression().matching([hash], 'email')).toHaveLength(1);
    const rows = await rowsOf('robinson');
    expect(rows[0]).toMatchObject({ identifier_type: 'email', channel: 'email' });
  });

  it('on channel all, reads each line of a list without header as an email address or a phone number', async () => {
    const res = await post('?source=do-not-contact&channel=all', 'someone@example.com\n06 44 55 66 77\n');
    expect(res.body.data).toMatchObject({ read: 2, added: 2, invalid: 0 });
    const rows = await rowsOf('do-not-contact');
    expect(
      rows.map((r: { identifier_type: string; channel: string }) => `${r.identifier_type}/${r.channel}`).sort()
    ).toEqual(['email/all', 'phone/all']);
    // `all` bars every channel.
    expect(await suppression().matching([phoneHash('+33644556677')], 'sms')).toHaveLength(1);
  });

  it('keeps only keyed hashes, so the entries outlive the erasure of the person (I2)', async () => {
    const { subject } = await subjects().resolve({ phone: '+33612345678' }, {});
    expect(await subjects().forgetIfUnneeded(subject.pseudonym)).toBe(true);
    const rows = await rowsOf('bloctel');
    expect(JSON.stringify(rows)).not.toMatch(/612345678/);
    expect(await suppression().matching([phoneHash('+33612345678')], 'phone')).toHaveLength(1);
  });

  it('answers with the number added from the existing add() too', async () => {
    const entry = {
      identifierHash: phoneHash('+33699999999'),
      identifierType: 'phone',
      channel: 'all',
      reason: 'objection',
      source: 'admin',
    };
    expect(await suppression().add([entry, entry])).toBe(1);
    expect(await suppression().add([entry])).toBe(0);
  });
});

describe("mode=replace: the file is the source's whole list (issue 15 part 7, C6)", () => {
  const hashesOf = async (source: string, channel = 'phone') =>
    (await app.strapi.db.connection(TABLE.suppression).where({ source, channel }).pluck('identifier_hash')).sort();

  beforeAll(async () => {
    expect((await post('?source=replaced', '0611111101\n0611111102\n0611111103\n')).status).toBe(200);
    // The same source on another channel, and another source: never touched by a replace of this one.
    expect((await post('?source=replaced&channel=sms', '0611111101\n')).status).toBe(200);
    expect((await post('?source=kept', '0611111101\n0611111102\n')).status).toBe(200);
  });

  it('C6: numbers that left the list are removed, new ones added, the rest kept; other sources and channels untouched', async () => {
    const otherSource = await hashesOf('kept');
    const otherChannel = await hashesOf('replaced', 'sms');
    const res = await post('?source=replaced&mode=replace', '0611111102\n0611111103\n0611111104\nnot a number\n');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      read: 4,
      added: 1,
      alreadyPresent: 2,
      duplicates: 0,
      invalid: 1,
      removed: 1,
      durationMs: expect.any(Number),
    });
    expect(await hashesOf('replaced')).toEqual(['+33611111102', '+33611111103', '+33611111104'].map(phoneHash).sort());
    expect(await hashesOf('kept')).toEqual(otherSource);
    expect(await hashesOf('replaced', 'sms')).toEqual(otherChannel);
    // Eligibility follows: the number that left is no longer barred by this list.
    expect(await suppression().matching([phoneHash('+33611111101')], 'phone')).not.toContainEqual(
      expect.objectContaining({ source: 'replaced' })
    );
  });

  it('C6: the same file again removes nothing (idempotent)', async () => {
    const res = await post('?source=replaced&mode=replace', '0611111102\n0611111103\n0611111104\n');
    expect(res.body.data).toMatchObject({ added: 0, alreadyPresent: 3, removed: 0 });
  });

  it('C6: a failed import removes nothing: a missing column, a file without one valid number, an unknown mode', async () => {
    const before = await hashesOf('replaced');
    const noColumn = await post('?source=replaced&mode=replace&column=numero', 'telephone\n0611111105\n', 'text/csv');
    expect(noColumn.status).toBe(400);
    const nothingValid = await post('?source=replaced&mode=replace', 'not a number\n');
    expect(nothingValid.status).toBe(400);
    expect(nothingValid.body.error.message).toMatch(/mode=replace: the file holds no valid identifier/);
    const badMode = await post('?source=replaced&mode=sync', '0611111102\n');
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.message).toMatch(/mode must be one of/);
    expect(await hashesOf('replaced')).toEqual(before);
  });

  it('without mode=replace an import only adds', async () => {
    const res = await post('?source=replaced', '0611111199\n');
    expect(res.body.data).not.toHaveProperty('removed');
    expect(await hashesOf('replaced')).toHaveLength(4);
  });
});

describe('bad requests', () => {
  it.each([
    ['?channel=fax&source=bloctel', 'channel'],
    ['?channel=push&source=bloctel', 'channel'],
    ['?channel=phone', 'source'],
    ['?source=Bloctel%20FR', 'source'],
    [`?source=${'a'.repeat(65)}`, 'source'],
    ['?source=bloctel&limit=5', ''],
  ])('%s → 400 naming %j', async (query, field) => {
    const res = await post(query, '0612345678\n');
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    if (field) expect(res.body.error.details.errors[0].path).toEqual([field]);
    else expect(res.body.error.message).toMatch(/unknown field\(s\): limit/);
  });

  it.each([
    ['application/json', JSON.stringify(['0612345678'])],
    ['application/x-www-form-urlencoded', 'phone=0612345678'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n0612345678\r\n--x--\r\n',
    ],
  ])('Content-Type %s → 415', async (type, body) => {
    const res = await post('?source=bloctel-type', body, type);
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({
      name: 'UnsupportedMediaTypeError',
      message: expect.stringMatching(/text\/plain or text\/csv/),
    });
    expect(res.body.error.details.errors[0].path).toEqual(['content-type']);
    expect(await rowsOf('bloctel-type')).toHaveLength(0);
  });

  it('an unknown charset → 415', async () => {
    const res = await post('?source=bloctel', '0612345678\n', 'text/plain; charset=klingon');
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(/charset "klingon"/);
  });

  it('an empty body → 400', async () => {
    const res = await post('?source=bloctel', '');
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['body']);
  });

  it('a header without the requested column → 400 naming column', async () => {
    const res = await post('?source=bloctel&column=gsm', 'id;phone\n1;0612345678\n', 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0]).toMatchObject({
      path: ['column'],
      message: expect.stringMatching(/"gsm"/),
    });
  });

  it('a compressed body → 415', async () => {
    const res = await post('?source=bloctel', '0612345678\n').set('Content-Encoding', 'gzip');
    expect(res.status).toBe(415);
  });

  it("streams past the body parser's 56 kB text limit, on every spelling of the path the router accepts", async () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `0655${String(i).padStart(6, '0')}`).join('\n');
    expect(body.length).toBeGreaterThan(100_000);
    for (const path of [ROUTE, `${ROUTE}/`, ROUTE.toUpperCase()]) {
      const res = await app
        .http()
        .post(`${path}?source=spelling`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'text/plain')
        .send(body);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.body.data.read).toBe(10_000);
    }
  });

  it('leaves the body parser alone on other admin routes', async () => {
    const res = await adminApi(app.strapi, token).post('/consent/forms/preview', { form: {}, locale: 'xx' });
    expect(res.status).not.toBe(415);
  });
});

describe('200,000 numbers (C6)', () => {
  const N = 200_000;
  // Distinct valid French mobile numbers, half in national and half in international format.
  const number = (i: number) => `${i % 2 ? '0' : '+33'}61${String(i).padStart(7, '0')}`;
  const list = () => Buffer.from(Array.from({ length: N }, (_, i) => number(i)).join('\n') + '\n');

  it('streams the list: all counted and added, memory bounded', async () => {
    const body = list();
    expect(body.length).toBeGreaterThan(2_000_000); // far over koa-body's 56 kB text limit

    const memory = await measureMemory(() => post('?source=bloctel-200k', body));
    const res = memory.result;
    console.log(
      `[${app.database.engine}] 200k import (server durationMs ${res.body.data?.durationMs}, body ${mb(body.length)} MB): ${memory.summary}`
    );

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ read: N, added: N, alreadyPresent: 0, duplicates: 0, invalid: 0 });
    const [{ n }] = await app.strapi.db
      .connection(TABLE.suppression)
      .where({ source: 'bloctel-200k' })
      .count({ n: '*' });
    expect(Number(n)).toBe(N);
    // Only the lines of this list and the set of their hashes, as JS strings, take about 20 MB; the
    // import holds one group of entries (20,000) and 8 bytes per hash met.
    expect(memory.liveGrowth).toBeLessThan(12 * 2 ** 20);
    // Allocation includes garbage not yet collected: a loose bound.
    expect(memory.heapGrowth).toBeLessThan(100 * 2 ** 20);

    const sample = [0, 1, 12_345, N - 1].map((i) => phoneHash(`+3361${String(i).padStart(7, '0')}`));
    expect(await suppression().matching(sample, 'phone')).toHaveLength(4);
  });
});
