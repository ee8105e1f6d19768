/**
 * The playground a newcomer starts with `npm run playground`: demo purposes for the four regimes and the
 * kids club, published notices in English, German and French, its forms (demo, contact, checkout, and
 * kids-club, offered to children), a first admin account from documented
 * defaults, and a demo page whose consent boxes are never pre-ticked (A2) and carry the displayed notice
 * version and hash (A9).
 */
import { UID } from '../../server/src/constants';
import { login } from '../harness/admin';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi({ seed: true });
});
afterAll(() => app?.stop());

it('seeds the demo purposes with their legal bases', async () => {
  const purposes = await app.strapi.db.query(UID.purpose).findMany({ orderBy: { key: 'asc' } });
  expect(purposes.map((p: { key: string; legalBasis: string }) => [p.key, p.legalBasis])).toEqual([
    ['kids-club-news', 'consent'],
    ['newsletter', 'consent'],
    ['partner-offers', 'consent'],
    ['phone-prospecting', 'consent'],
    ['postal-mailing', 'legitimate-interest'],
  ]);
  expect(purposes.find((p: { key: string }) => p.key === 'newsletter')).toMatchObject({
    doubleOptIn: true,
    channels: ['email'],
  });
});

it('publishes one notice per purpose in en, de and fr, each with the hash of its content', async () => {
  const notices = await app.strapi.db.query(UID.notice).findMany({ where: { status: 'published' } });
  expect(notices).toHaveLength(15);
  const service = app.strapi.plugin('consent').service('notices');
  const bases = Object.fromEntries(
    (await app.strapi.db.query(UID.purpose).findMany()).map((p: { key: string; legalBasis: string }) => [
      p.key,
      p.legalBasis,
    ])
  );
  for (const notice of notices) {
    expect(notice.contentHash).toBe(service.contentHash(notice, bases[notice.purpose]));
    expect(notice.contentHash).toMatch(/^[0-9a-f]{64}$/);
  }
  for (const language of ['en', 'de', 'fr']) {
    expect(notices.filter((n: { language: string }) => n.language === language)).toHaveLength(5);
  }
});

it('seeding twice is a no-op (restart keeps one copy)', async () => {
  const database = app.database;
  await app.stop({ keepDatabase: true });
  app = await bootStrapi({ seed: true, database });
  expect(await app.strapi.db.query(UID.purpose).count()).toBe(5);
  expect(await app.strapi.db.query(UID.form).count()).toBe(4);
  // This boot reuses the database: drop it with the last stop.
  const stop = app.stop;
  app.stop = async () => {
    await stop();
    await database.drop();
  };
});

it('serves /favicon.ico (browsers ask every site for it; a missing file was a 500 with a stack trace)', async () => {
  const res = await app
    .http()
    .get('/favicon.ico')
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('image/x-icon');
  // An ICO file (reserved 0, type 1) holding one image.
  expect([...(res.body as Buffer).subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
});

it('creates the first admin from the documented defaults', async () => {
  const token = await login(app.strapi, 'admin@example.com', 'Playground1!');
  expect(token).toEqual(expect.any(String));
});

describe.each(['en', 'de', 'fr'])('GET /demo?locale=%s', (language) => {
  it('serves the form with unticked boxes, each with its notice version and hash', async () => {
    const res = await app.http().get(`/demo?locale=${language}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    const html: string = res.text;
    expect(html).toContain(`<html lang="${language}">`);
    const boxes = html.match(/<input type="checkbox"[^>]*>/g) ?? [];
    expect(boxes).toHaveLength(4);
    for (const box of boxes) expect(box).not.toMatch(/checked/);
    const notices = (
      await app.strapi.db.query(UID.notice).findMany({ where: { language, status: 'published' } })
    ).filter((n: { purpose: string }) => n.purpose !== 'kids-club-news');
    for (const notice of notices) {
      expect(html).toContain(`name="notices[${notice.purpose}][hash]" value="${notice.contentHash}"`);
    }
    expect(html).toContain('action="/api/consent/submissions"');
  });
});

describe.each(['en', 'de', 'fr'])('GET /demo?form=kids-club&locale=%s', (language) => {
  it("G1: serves the children's form: the age first, the parent's address, France's threshold, its one purpose", async () => {
    const res = await app.http().get(`/demo?form=kids-club&locale=${language}`);
    expect(res.status).toBe(200);
    const html: string = res.text;
    expect(html).toContain('name="form" value="kids-club"');
    expect(html.indexOf('name="age"')).toBeGreaterThan(0);
    expect(html.indexOf('name="age"')).toBeLessThan(html.indexOf('type="checkbox"'));
    expect(html).toContain('name="parentEmail"');
    expect(html).toContain('15');
    const boxes = html.match(/<input type="checkbox"[^>]*>/g) ?? [];
    expect(boxes).toEqual(['<input type="checkbox" name="choices[kids-club-news]" value="on">']);
    // The language links keep the form.
    expect(html).toMatch(/href="\/demo\?locale=[a-z]{2}&amp;form=kids-club"/);
  });

  it('A7, Art. 12(1): the sentence on withdrawal speaks to the child, as the notice does', async () => {
    const html: string = (await app.http().get(`/demo?form=kids-club&locale=${language}`)).text;
    const own = { en: 'You can stop these emails', de: 'Du kannst diese E-Mails', fr: 'Tu peux arrêter ces e-mails' };
    const adult = {
      en: 'You can withdraw your consent',
      de: 'Sie können Ihre Einwilligung',
      fr: 'Vous pouvez retirer',
    };
    expect(html).toContain(own[language as 'en']);
    expect(html).not.toContain(adult[language as 'en']);
  });
});

it('the kids club form is the one the playground prints, offered to children in France', async () => {
  const form = await app.strapi.db.query(UID.form).findOne({ where: { key: 'kids-club' } });
  expect(form).toMatchObject({ offeredToChildren: true, childrenCountry: 'FR', purposes: ['kids-club-news'] });
  const definition = await app.http().get('/api/consent/forms/kids-club?locale=en');
  expect(definition.body.data.ageQuestion).toEqual({ threshold: 15, country: 'FR' });
});

it("the mailbox sends the demo newsletter through the messages service to the newsletter's people (D4, E1)", async () => {
  const consent = app.strapi.plugin('consent');
  const pseudonym = await app.strapi.db.transaction(async () => {
    await consent.service('ledger').lock();
    return (await consent.service('subjects').resolve({ email: 'demo-reader@example.com' }, {})).subject
      .pseudonym as string;
  });
  await consent.service('ledger').append([
    {
      subject: pseudonym,
      purpose: 'newsletter',
      channel: 'email',
      action: 'granted',
      state: 'granted',
      method: 'import',
      legalBasis: 'consent',
      actor: 'import:test',
    },
  ]);
  const page = await app.http().get('/demo/mails');
  expect(page.text).toContain(
    '<form method="post" action="/demo/newsletter"><button type="submit">Send the demo newsletter</button>'
  );
  const sent = await app.http().post('/demo/newsletter');
  expect(sent.status).toBe(302);
  const id = /\/demo\/mails\?sent=(\d+)$/.exec(sent.headers.location)![1];
  await consent.service('messages').wake();
  expect((await app.http().get(`/demo/mails?sent=${id}`)).text).toContain(
    'Newsletter sent: 1 sent, 0 skipped (not eligible at sending), 0 failed, of 1.'
  );
});
