/**
 * The pages a visitor reaches without JavaScript (issue 17, points 8–11): the redirect after a plain HTML
 * sign-up carries the language and what waits for confirmation; a refused form says what to fix in the
 * visitor's words and language while the JSON API keeps its paths; the confirmation mail and pages name
 * the purposes by the titles the form showed, and the confirmed page says so and leads to the preference
 * centre (D5), which says whose preferences these are, masked, in fieldsets with labelled boxes.
 * Requirements B2, D5.
 */
import { confirmationLink, startSmtp, type SmtpListener } from '../harness/smtp';
import { publishNotice, rowCounts, setupForm, shownNotices } from '../harness/consent-setup';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let smtp: SmtpListener;
let en: Record<string, { version: number; hash: string }>;
let fr: Record<string, { version: number; hash: string }>;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({ env: { CONSENT_TEST_SMTP_PORT: String(smtp.port) } });
  en = shownNotices(
    await setupForm(app.strapi, ['doi', 'newsletter', 'postal'], {
      successUrl: 'https://shop.example/thanks?from=join',
    })
  );
  for (const [key, title] of [
    ['doi', 'Le résumé de la semaine'],
    ['newsletter', 'Nos nouvelles par e-mail'],
    ['postal', 'Le catalogue par la poste'],
  ]) {
    await publishNotice(app.strapi, key, 'fr', title);
  }
  fr = shownNotices(await app.strapi.plugin('consent').service('forms').definition('signup', 'fr'));
});
afterAll(async () => {
  await replayThenStop(app);
  await smtp?.stop();
});

const encode = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');

/** What a browser posts from a plain HTML form: urlencoded, `on` for a ticked box, the notices shown. */
const htmlPost = (fields: Record<string, string>, notices: Record<string, { version: number; hash: string }>) =>
  app
    .http()
    .post('/api/consent/submissions')
    .set({ Origin: ORIGIN, Accept: 'text/html', Referer: 'https://shop.example/join' })
    .type('form')
    .send(
      encode({
        form: 'signup',
        ...fields,
        ...Object.fromEntries(
          Object.entries(notices).flatMap(([k, n]) => [
            [`notices[${k}][version]`, String(n.version)],
            [`notices[${k}][hash]`, n.hash],
          ])
        ),
      })
    );

const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
const path = (url: string) => new URL(url).pathname;

describe('point 8: the redirect to the success URL says in which language, and what waits for the mail', () => {
  it('a French sign-up with a double opt-in purpose: receipt, locale=fr and pending=doi; the URL keeps its own parameters', async () => {
    const res = await htmlPost(
      { locale: 'fr', 'subject[email]': 'chloe@example.com', 'choices[doi]': 'on', 'choices[newsletter]': 'on' },
      fr
    );
    expect(res.status).toBe(303);
    const target = new URL(res.headers.location);
    expect(`${target.origin}${target.pathname}`).toBe('https://shop.example/thanks');
    expect(target.searchParams.get('from')).toBe('join');
    expect(target.searchParams.get('receipt')).toMatch(/^[0-9a-f-]{36}$/);
    expect(target.searchParams.get('locale')).toBe('fr');
    expect(target.searchParams.get('pending')).toBe('doi');
  });

  it('nothing waiting: no pending parameter, and the language still travels', async () => {
    const res = await htmlPost({ locale: 'de', 'subject[email]': 'dora@example.com', 'choices[newsletter]': 'on' }, en);
    expect(res.status).toBe(303);
    const target = new URL(res.headers.location);
    expect(target.searchParams.get('locale')).toBe('de');
    expect(target.searchParams.has('pending')).toBe(false);
  });
});

describe('point 9: a refused plain HTML form gets a sentence in the visitor’s language; the JSON API keeps its paths', () => {
  it('an address that does not parse, in German: what to fix, not the field name; nothing written', async () => {
    const before = await rowCounts(app.strapi);
    const res = await htmlPost({ locale: 'de', 'subject[email]': 'dora-at-example', 'choices[newsletter]': 'on' }, en);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toContain('Die E-Mail-Adresse scheint nicht zu stimmen');
    expect(res.text).not.toMatch(/subject|email address|not an email/);
    expect(res.text).toContain('href="https://shop.example/join"');
    expect(await rowCounts(app.strapi)).toEqual(before);
  });

  it('no address at all, in French; a number that does not parse, in English', async () => {
    const none = await htmlPost({ locale: 'fr', 'subject[email]': '', 'choices[newsletter]': 'on' }, en);
    expect(none.status).toBe(400);
    expect(none.text).toContain('Veuillez indiquer votre adresse e-mail ou votre numéro de téléphone.');
    const phone = await htmlPost(
      { locale: 'en', 'subject[email]': 'eve@example.com', 'subject[phone]': '12', 'choices[newsletter]': 'on' },
      en
    );
    expect(phone.status).toBe(400);
    expect(phone.text).toContain('The telephone number does not look right.');
    expect(phone.text).not.toContain('subject.phone');
  });

  it('the JSON API answers the same refusal with Strapi’s error body and its paths, unchanged', async () => {
    const res = await app
      .http()
      .post('/api/consent/submissions')
      .set('Origin', ORIGIN)
      .send({
        form: 'signup',
        locale: 'de',
        subject: { email: 'dora-at-example' },
        choices: { newsletter: true },
        notices: en,
      });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.details.errors[0].path).toEqual(['subject', 'email']);
  });
});

describe('point 10: the mail and the pages of the confirmation name what the form showed and lead on', () => {
  let link: ReturnType<typeof confirmationLink>;
  beforeAll(async () => {
    link = confirmationLink(await smtp.waitFor((m) => m.to.includes('chloe@example.com')));
  });

  it('B2: the French mail lists the notice title the visitor ticked, not the purpose’s internal name, and keeps one link', async () => {
    const mail = await smtp.waitFor((m) => m.to.includes('chloe@example.com'));
    expect(mail.text).toContain('- Le résumé de la semaine');
    expect(mail.text).not.toContain('Weekly digest');
    expect(mail.text.match(/https?:\/\/\S+/g)).toEqual([link.url]);
  });

  it('the question page names the same title and says what happens before and after confirming', async () => {
    const page = await app.http().get(link.path).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(heading(page.text)).toBe('Confirmez votre demande');
    expect(page.text).toContain('<li>Le résumé de la semaine</li>');
    expect(page.text).toContain('Nous ne vous envoyons rien avant votre confirmation.');
  });

  it('D5: once confirmed, the heading says so, the title is listed and the preference centre is one link away', async () => {
    const done = await app.http().post(link.path).type('form').set('Accept', 'text/html').send('');
    expect(done.status).toBe(200);
    expect(heading(done.text)).toBe('Votre demande est confirmée');
    expect(done.text).toContain('<li>Le résumé de la semaine</li>');
    expect(done.text).toMatch(/<a href="[^"]*\/api\/consent\/preferences\/[^"]+">Gérer mes préférences<\/a>/);
    // Opened again later: still confirmed, still the way to the preferences.
    const again = await app.http().get(link.path).set('Accept', 'text/html');
    expect(heading(again.text)).toBe('Votre demande est confirmée');
    expect(again.text).toContain('Gérer mes préférences');
  });
});

describe('point 11: the preference centre says whose preferences these are, and is structured', () => {
  let preferences: string;
  beforeAll(async () => {
    const done = await app
      .http()
      .get(confirmationLink(await smtp.waitFor((m) => m.to.includes('chloe@example.com'))).path)
      .set('Accept', 'text/html');
    preferences = path(/href="([^"]*\/api\/consent\/preferences\/[^"]+)"/.exec(done.text)![1]);
  });

  it('D5: the address, partly masked, in the person’s language; never in full', async () => {
    const page = await app.http().get(preferences).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('Préférences de <strong>c***@example.com</strong>');
    expect(page.text).not.toContain('chloe@');
  });

  it('one fieldset per purpose, its legend the notice title, each box with a label naming what ticking does', async () => {
    const page = await app.http().get(preferences).set('Accept', 'text/html');
    const fieldsets = page.text.match(/<fieldset[\s\S]*?<\/fieldset>/g) ?? [];
    expect(fieldsets).toHaveLength(3);
    const legends = fieldsets.map((f) => /<legend>([^<]*)<\/legend>/.exec(f)?.[1]);
    expect(legends).toEqual(
      expect.arrayContaining([
        'Le résumé de la semaine',
        'Nos nouvelles par e-mail',
        'Je m’oppose : Le catalogue par la poste',
      ])
    );
    for (const fieldset of fieldsets) {
      const id = /<input type="checkbox" id="([^"]+)"/.exec(fieldset)?.[1];
      expect(id).toBeDefined();
      expect(fieldset).toMatch(new RegExp(`<label for="${id}">[^<]+</label>`));
    }
    const digest = fieldsets.find((f) => f.includes('Le résumé de la semaine'))!;
    expect(digest).toContain(' checked>');
    expect(digest).toContain('Actuellement : abonné(e)');
  });

  it('the one-click unsubscribe pages follow the person’s language and titles, and lead back to the preferences', async () => {
    const subject = await app.strapi.db.connection('consent_subjects').where({ email: 'chloe@example.com' }).first();
    const url = path(app.strapi.plugin('consent').service('links').forSubject(subject.pseudonym, 'doi').unsubscribeUrl);
    // No Accept-Language: the language is the person's, from their form.
    const page = await app.http().get(url).set('Accept', 'text/html');
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('<li>Le résumé de la semaine</li>');
    const done = await app.http().post(url).type('form').set('Accept', 'text/html').send('List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect(done.text).toContain('C’est effectif dès maintenant.');
    expect(done.text).toMatch(/href="[^"]*\/api\/consent\/preferences\//);
  });
});
