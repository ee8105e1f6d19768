/**
 * Contacts reported by the site (C8, I4, I5, N8, N11): `POST /api/consent/contacts` records `contacted`
 * events that never move a consent state; German telephone-consent proof is kept five years from the grant
 * and from each use, and no automatic purge clears it; a click (not a send, never an open) is the person's
 * activity for the French three-year rule.
 */
import { TABLE } from '../../server/src/constants';
import { monthsAfter } from '../../server/src/domain/retention-rules';
import { createApiToken } from '../harness/api-token';
import { PURPOSES, publishNotice, rowCounts } from '../harness/consent-setup';
import { expectStatesEqualReplay, replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

let app: TestStrapi;
let token: string;
const DAY = 86_400_000;

beforeAll(async () => {
  // The French three-year rule for subscribers (I4, N8, N11) is on by default.
  app = await bootStrapi();
  for (const key of ['sms', 'partners'] as const) {
    await app.strapi.plugin('consent').service('purposes').create(PURPOSES[key]);
    await publishNotice(app.strapi, key);
  }
  token = await createApiToken(app.strapi, 'contacts', {
    type: 'custom',
    permissions: ['plugin::consent.contacts.create'],
  });
});
afterAll(() => replayThenStop(app));

const consent = () => app.strapi.plugin('consent');
const knex = () => app.strapi.db.connection;
const post = (body: unknown, key: string | null = token) => {
  const req = app.http().post('/api/consent/contacts');
  return (key ? req.set('Authorization', `Bearer ${key}`) : req).send(body as object);
};
const errorOf = (res: { body: { error?: { message: string } } }) => res.body.error!;

/** A person known to the plugin, with events appended at given times (as an import would). */
const person = async (
  identifiers: Record<string, string>,
  jurisdiction: 'de' | 'fr',
  events: {
    purpose: string;
    channel: 'sms' | 'phone' | 'email';
    action: 'granted' | 'withdrawn' | 'refused' | 'expired';
    at: Date;
  }[]
) => {
  const { subject } = await app.strapi.db.transaction(async () => {
    await consent().service('ledger').lock();
    return consent().service('subjects').resolve(identifiers, { jurisdiction, audience: 'consumer' });
  });
  await consent()
    .service('ledger')
    .append(
      events.map((e) => ({
        subject: subject.pseudonym,
        purpose: e.purpose,
        channel: e.channel,
        action: e.action,
        state: e.action,
        method: 'import',
        legalBasis: 'consent',
        actor: 'import:test',
        occurredAt: e.at,
      }))
    );
  return subject.pseudonym as string;
};
const subjectRow = (pseudonym: string) => knex()(TABLE.subject).where({ pseudonym }).first();
const stateRows = (pseudonym: string) =>
  knex()(TABLE.state).where({ subject: pseudonym }).orderBy(['purpose', 'channel']);

const replayMatches = (subject: string) => expectStatesEqualReplay(app.strapi, subject);

describe('C8: POST /api/consent/contacts records a use of the consent', () => {
  let anna: string;
  beforeAll(async () => {
    anna = await person({ phone: '+4915112345678', email: 'anna@example.de' }, 'de', [
      { purpose: 'sms', channel: 'phone', action: 'granted', at: new Date(Date.now() - 10 * DAY) },
    ]);
  });

  it('C8: needs an API token with plugin::consent.contacts.create (403 without, 401 unknown, 403 other action)', async () => {
    const body = {
      subject: { phone: '+4915112345678' },
      purpose: 'sms',
      channel: 'phone',
      occurredAt: new Date().toISOString(),
    };
    expect((await post(body, null)).status).toBe(403);
    expect((await post(body, 'f'.repeat(256))).status).toBe(401);
    const other = await createApiToken(app.strapi, 'other', {
      type: 'custom',
      permissions: ['plugin::consent.relationships.upsert'],
    });
    expect((await post(body, other)).status).toBe(403);
  });

  it('C8: 201 with the event id; a `contacted` event on the ledger; the state row unchanged; replay equals states', async () => {
    const before = await stateRows(anna);
    const occurredAt = new Date(Date.now() - 2 * DAY).toISOString().replace('Z', '+00:00');
    const res = await post({ subject: { phone: '+49 151 12345678' }, purpose: 'sms', channel: 'phone', occurredAt });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ eventId: expect.any(String) });
    const event = await knex()(TABLE.event).where({ event_id: res.body.data.eventId }).first();
    expect(event).toMatchObject({
      subject: anna,
      purpose: 'sms',
      channel: 'phone',
      action: 'contacted',
      state: 'granted',
      method: 'api',
      legal_basis: 'consent',
      actor: expect.stringMatching(/^api-token:/),
    });
    expect(new Date(event.occurred_at).toISOString()).toBe(new Date(occurredAt).toISOString());
    expect(await stateRows(anna)).toEqual(before);
    // A contact on a channel with no state row yet (sms) creates none.
    expect(
      (await post({ subject: { email: 'anna@example.de' }, purpose: 'sms', channel: 'sms', occurredAt })).status
    ).toBe(201);
    expect(await stateRows(anna)).toEqual(before);
    await replayMatches(anna);
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  });

  it('C8: a batch `{ contacts: [...] }` records all, in order, or nothing', async () => {
    const at = new Date(Date.now() - DAY).toISOString();
    const one = { subject: { phone: '+4915112345678' }, purpose: 'sms', channel: 'phone', occurredAt: at };
    const res = await post({ contacts: [one, { ...one, kind: 'clicked' }] });
    expect(res.status).toBe(201);
    expect(res.body.data.eventIds).toHaveLength(2);
    const counts = await rowCounts(app.strapi);
    const bad = await post({ contacts: [one, { ...one, subject: { email: 'nobody@example.com' } }] });
    expect(bad.status).toBe(404);
    expect(errorOf(bad).message).toMatch(/contacts\.1\.subject: nobody with these identifiers is known/);
    expect(await rowCounts(app.strapi)).toEqual(counts);
    expect((await post({ contacts: Array(1001).fill(one) })).status).toBe(400);
    await replayMatches(anna);
  });

  it('C8: a batch with mixed identifiers answers per row as single calls would, looking people up once per identifier type', async () => {
    const bea = await person({ email: 'bea@example.de', phone: '+4915112345679' }, 'de', [
      { purpose: 'sms', channel: 'sms', action: 'granted', at: new Date(Date.now() - 5 * DAY) },
    ]);
    const cem = await person({ externalId: 'crm-cem-42' }, 'de', [
      { purpose: 'partners', channel: 'email', action: 'granted', at: new Date(Date.now() - 5 * DAY) },
    ]);
    const at = new Date(Date.now() - DAY).toISOString();
    const rows = [
      [{ phone: '+4915112345678' }, 'sms', 'phone', anna],
      [{ email: 'bea@example.de' }, 'sms', 'sms', bea],
      [{ externalId: 'crm-cem-42' }, 'partners', 'email', cem],
      // An address nobody holds beside a known number: the number finds the person, as a single call would.
      [{ email: 'unknown-bea@example.de', phone: '+49 151 12345679' }, 'sms', 'phone', bea],
      // Two people's identifiers: the email is matched first, as a single call would.
      [{ email: 'anna@example.de', phone: '+4915112345679' }, 'sms', 'sms', anna],
      [{ email: 'ANNA@example.de' }, 'sms', 'phone', anna],
    ] as const;
    const selects: string[] = [];
    const listen = (q: { sql: string }) => {
      // Lookups by identifier (keyed hash), not the ledger's reads by pseudonym.
      if (/^select/i.test(q.sql) && q.sql.includes(TABLE.subject) && /_hash\W+ in/i.test(q.sql)) selects.push(q.sql);
    };
    knex().on('query', listen);
    const res = await Promise.resolve(
      post({ contacts: rows.map(([subject, purpose, channel]) => ({ subject, purpose, channel, occurredAt: at })) })
    ).finally(() => knex().off('query', listen));
    expect(res.status).toBe(201);
    const events = await knex()(TABLE.event).whereIn('event_id', res.body.data.eventIds);
    const byId = new Map(events.map((e: { event_id: string }) => [e.event_id, e]));
    expect(
      res.body.data.eventIds.map((id: string) => {
        const e = byId.get(id) as unknown as { subject: string; purpose: string; channel: string; action: string };
        return [e.subject, e.purpose, e.channel, e.action];
      })
    ).toEqual(rows.map(([, purpose, channel, subject]) => [subject, purpose, channel, 'contacted']));
    // Emails, phones and external ids: one query each for the six rows.
    expect(selects).toHaveLength(3);
    for (const subject of [anna, bea, cem]) await replayMatches(subject);

    // An erased person in a batch is unknown, as alone: 404 naming the row, nothing written.
    await consent().service('rights').erase({ externalId: 'crm-cem-42' }, { method: 'api', actor: 'api-token:test' });
    const counts = await rowCounts(app.strapi);
    const gone = await post({
      contacts: [
        { subject: { phone: '+4915112345678' }, purpose: 'sms', channel: 'phone', occurredAt: at },
        { subject: { externalId: 'crm-cem-42' }, purpose: 'partners', channel: 'email', occurredAt: at },
      ],
    });
    expect(gone.status).toBe(404);
    expect(errorOf(gone).message).toMatch(/^contacts\.1\.subject: nobody/);
    expect(await rowCounts(app.strapi)).toEqual(counts);
  });

  it('bad input: 400 naming the problem, 404 for an unknown person, nothing written on any 4xx', async () => {
    const counts = await rowCounts(app.strapi);
    const ok = {
      subject: { phone: '+4915112345678' },
      purpose: 'sms',
      channel: 'phone',
      occurredAt: new Date(Date.now() - DAY).toISOString(),
    };
    const cases: [unknown, number, RegExp][] = [
      [{ ...ok, extra: 1, other: 2 }, 400, /unknown field\(s\): extra, other/],
      [{ ...ok, subject: { phone: '+4915112345678', name: 'x' } }, 400, /subject has unknown field\(s\): name/],
      [
        { ...ok, occurredAt: '2026-01-01T10:00:00' },
        400,
        /occurredAt must be an ISO 8601 date and time with a time zone/,
      ],
      [{ ...ok, occurredAt: new Date(Date.now() + DAY).toISOString() }, 400, /occurredAt must not be in the future/],
      [{ ...ok, occurredAt: 12 }, 400, /occurredAt/],
      [{ ...ok, purpose: 'unknown-purpose' }, 400, /purpose: no purpose "unknown-purpose"/],
      [{ ...ok, channel: 'email' }, 400, /purpose "sms" does not cover the channel "email"/],
      [{ ...ok, channel: 'pigeon' }, 400, /channel must be one of/],
      [{ ...ok, kind: 'opened' }, 400, /kind must be one of/],
      [{ ...ok, subject: {} }, 400, /subject needs an email, a phone or an externalId/],
      [{ ...ok, subject: { phone: 'abc' } }, 400, /subject\.phone/],
      [{ ...ok, subject: { phone: '+4915199999999' } }, 404, /nobody with these identifiers is known to the plugin/],
      [[ok], 400, /The body must be an object/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(body);
      expect([JSON.stringify(body).slice(0, 80), res.status, errorOf(res)?.message]).toEqual([
        JSON.stringify(body).slice(0, 80),
        status,
        expect.stringMatching(message),
      ]);
    }
    expect(await rowCounts(app.strapi)).toEqual(counts);
  });
});

describe('C8, I5: German telephone-consent proof is kept five years from the grant and from each use', () => {
  const now = Date.now();
  const at = (months: number) => monthsAfter(new Date(now), months);
  const people: Record<string, string> = {};

  beforeAll(async () => {
    // Granted 50 months ago, withdrawn 49 months ago: a prospect again, whose proof runs 5 years from the grant.
    const history = [
      { purpose: 'sms', channel: 'phone', action: 'granted', at: at(-50) },
      { purpose: 'sms', channel: 'phone', action: 'withdrawn', at: at(-49) },
    ] as const;
    people.used = await person({ phone: '+4915100000001' }, 'de', [...history]);
    people.unused = await person({ phone: '+4915100000002' }, 'de', [...history]);
    people.french = await person({ phone: '+33612345678' }, 'fr', [...history]);
    // Called yesterday (reported by the site): the five years start again.
    const res = await post({
      subject: { phone: '+4915100000001' },
      purpose: 'sms',
      channel: 'phone',
      occurredAt: new Date(now - DAY).toISOString(),
    });
    expect(res.status).toBe(201);
  });

  it('C8/I5: the prospect purge keeps a German person whose phone-consent proof still runs (a use restarted it)', async () => {
    // 37 months on, everyone is an inactive prospect (I4); the unused proof ended at grant + 60 months.
    const result = await consent().service('retention').purgeProspects(at(37));
    expect(result.purged).toBeGreaterThanOrEqual(2);
    expect((await subjectRow(people.used)).phone).toBe('+4915100000001');
    expect((await subjectRow(people.unused)).phone).toBeNull();
    expect((await subjectRow(people.french)).phone).toBeNull();
    await replayMatches(people.used);
  });

  it('C8/I5: five years after the last use, the purge may clear it', async () => {
    expect((await subjectRow(people.used)).phone).toBe('+4915100000001');
    await consent().service('retention').purgeProspects(at(59));
    expect((await subjectRow(people.used)).phone).toBe('+4915100000001');
    await consent().service('retention').purgeProspects(at(61));
    expect((await subjectRow(people.used)).phone).toBeNull();
  });

  it('C8/I5: the double opt-in clean-up (forgetIfUnneeded) keeps the proof too', async () => {
    const eva = await person({ phone: '+4915100000003' }, 'de', [
      { purpose: 'sms', channel: 'phone', action: 'granted', at: at(-2) },
      { purpose: 'sms', channel: 'phone', action: 'refused', at: at(-1) },
    ]);
    expect(await consent().service('subjects').forgetIfUnneeded(eva, new Date(now))).toBe(false);
    expect((await subjectRow(eva)).phone).toBe('+4915100000003');
    expect(await consent().service('subjects').forgetIfUnneeded(eva, at(59))).toBe(true);
    expect((await subjectRow(eva)).phone).toBeNull();
  });
});

describe("I4, N8, N11: the three years count from the person's own activity; a click is, a send is not", () => {
  const now = Date.now();
  const at = (months: number) => monthsAfter(new Date(now), months);

  it('I4/N8: a reported click keeps a prospect; a reported send does not', async () => {
    const clicker = await person({ email: 'clicker@example.fr' }, 'fr', [
      { purpose: 'partners', channel: 'email', action: 'refused', at: new Date(now - DAY) },
    ]);
    const sentTo = await person({ email: 'sent@example.fr' }, 'fr', [
      { purpose: 'partners', channel: 'email', action: 'refused', at: new Date(now - DAY) },
    ]);
    // Reported 35 months on (through the service: the route takes no future time).
    const when = at(35).toISOString();
    const ids = await consent()
      .service('contacts')
      .record(
        [
          {
            subject: { email: 'clicker@example.fr' },
            purpose: 'partners',
            channel: 'email',
            occurredAt: when,
            kind: 'clicked',
          },
          {
            subject: { email: 'sent@example.fr' },
            purpose: 'partners',
            channel: 'email',
            occurredAt: when,
            kind: 'sent',
          },
        ],
        'api-token:test'
      );
    expect(ids).toHaveLength(2);
    const methods = await knex()(TABLE.event).whereIn('event_id', ids).orderBy('seq').pluck('method');
    expect(methods).toEqual(['link', 'api']);
    await consent().service('retention').purgeProspects(at(37));
    expect((await subjectRow(clicker)).email).toBe('clicker@example.fr');
    expect((await subjectRow(sentTo)).email).toBeNull();
    await replayMatches(clicker);
  });

  it("I4/N11: French subscribers too: a grant 37 months old with no act since expires (reason inactivity) and the identifiers go; a German subscriber's grant keeps them", async () => {
    const granted = [{ purpose: 'partners', channel: 'email', action: 'granted', at: new Date(now - DAY) }] as const;
    const fr = await person({ email: 'abonne@example.fr' }, 'fr', [...granted]);
    const frClicked = await person({ email: 'lecteur@example.fr' }, 'fr', [...granted]);
    const de = await person({ email: 'abonnent@example.de' }, 'de', [...granted]);
    await consent()
      .service('contacts')
      .record(
        [
          {
            subject: { email: 'lecteur@example.fr' },
            purpose: 'partners',
            channel: 'email',
            occurredAt: at(2).toISOString(),
            kind: 'clicked',
          },
        ],
        'api-token:test'
      );
    // A month before: the one re-permission request (I4), to abonne only (lecteur's click moved his three years).
    const asked = await consent()
      .service('retention')
      .requestRepermission(new Date(at(37).getTime() - 31 * DAY));
    expect(asked).toEqual({ requested: 1, messages: [expect.any(Number)] });
    // Sent by the messages worker, which records the request once the mail left.
    await consent().service('messages').wake();
    expect(await consent().service('messages').find(asked.messages[0])).toMatchObject({
      status: 'done',
      counts: { sent: 1 },
    });
    // 37 months after the grant, 35 after lecteur's click: abonne did not answer.
    await consent().service('retention').purgeProspects(at(37));
    expect(await subjectRow(fr)).toMatchObject({ email: null, email_hash: null, erased_at: expect.anything() });
    const expired = await knex()(TABLE.event).where({ subject: fr, action: 'expired' });
    expect(expired).toHaveLength(1);
    const evidence = typeof expired[0].evidence === 'string' ? JSON.parse(expired[0].evidence) : expired[0].evidence;
    expect(evidence).toMatchObject({ reason: 'inactivity', months: 36 });
    expect((await stateRows(fr))[0].state).toBe('expired');
    await replayMatches(fr);
    expect((await subjectRow(frClicked)).email).toBe('lecteur@example.fr');
    expect((await stateRows(frClicked))[0].state).toBe('granted');
    expect((await subjectRow(de)).email).toBe('abonnent@example.de');
    expect(await consent().service('ledger').verify()).toMatchObject({ ok: true });
  });
});

describe('C8, I5: the five years end with the German day, not at the same UTC instant', () => {
  it('C8/I5: a grant at 23:30 UTC (the next day in Berlin) keeps its proof until that Berlin day ends, five years on', async () => {
    // Granted 23 months ago: its five years end 37 months from now, when the person (known since today)
    // is an inactive prospect the purge would clear (I4) but for the proof.
    const base = monthsAfter(new Date(), -23);
    // 23:30 UTC is 00:30 (winter) or 01:30 (summer) in Berlin: the German date of the grant is the next one.
    const granted = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate(), 23, 30));
    const lena = await person({ phone: '+4915100000009' }, 'de', [
      { purpose: 'sms', channel: 'phone', action: 'granted', at: granted },
      { purpose: 'sms', channel: 'phone', action: 'withdrawn', at: new Date(granted.getTime() + 60_000) },
    ]);
    const sameInstant = monthsAfter(granted, 60);
    // Twelve hours past the same UTC instant five years on, that German day has not ended: the proof stays.
    await consent()
      .service('retention')
      .purgeProspects(new Date(sameInstant.getTime() + DAY / 2));
    expect((await subjectRow(lena)).phone).toBe('+4915100000009');
    await consent()
      .service('retention')
      .purgeProspects(new Date(sameInstant.getTime() + 2 * DAY));
    expect((await subjectRow(lena)).phone).toBeNull();
  });
});
