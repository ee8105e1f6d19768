/**
 * The ledger's single write path and its hash chain (spec 3; A9, A10, D1): every append is one transaction
 * with its state change, events link by hash, and `verify` names the first event that was edited, deleted
 * or moved through raw SQL.
 */
import { TABLE, UID } from '../../server/src/constants';
import { eventHash, GENESIS_HASH } from '../../server/src/domain/event-hash';
import type { NewEvent } from '../../server/src/services/ledger';
import { adminApi, createAdminWithActions } from '../harness/admin';
import { rejectionOf } from '../harness/errors';
import { consentEvent } from '../harness/fixtures';
import { replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';
import { withoutLedgerTriggers } from '../harness/tamper';

let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi();
});
afterAll(() => replayThenStop(app));

const ledger = () => app.strapi.plugin('consent').service('ledger');
const event = (over: Partial<NewEvent> = {}): NewEvent =>
  consentEvent({
    subject: 'subj-a',
    noticeId: 7,
    noticeVersion: 2,
    noticeHash: 'f'.repeat(64),
    noticeLanguage: 'de',
    formKey: 'signup',
    pageUrl: 'https://example.com/signup',
    context: { ip: '203.0.113.0', userAgent: 'test', nested: { b: 1, a: 2 } },
    ...over,
  });
const rows = () => app.strapi.db.connection(TABLE.event).select('*').orderBy('seq');
const verify = () => ledger().verify();

describe('appending', () => {
  it('numbers events from 1, links each to the previous hash, and hashes what was stored (A10)', async () => {
    const stored = await ledger().append([
      event(),
      event({ purpose: 'partners', action: 'refused', state: 'refused' }),
    ]);
    expect(stored.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(stored[0].prevHash).toBe(GENESIS_HASH);
    expect(stored[1].prevHash).toBe(stored[0].hash);
    const read = await app.strapi.db.query(UID.event).findMany({ orderBy: { seq: 'asc' } });
    for (const row of read) expect(eventHash(row)).toBe(row.hash);
    expect(read[0]).toMatchObject({ noticeVersion: 2, noticeHash: 'f'.repeat(64), formKey: 'signup', method: 'form' });
  });

  it('writes the state in the same call (D1: effective for the next read)', async () => {
    const state = await app.strapi.db
      .query(UID.state)
      .findOne({ where: { subject: 'subj-a', purpose: 'newsletter', channel: 'email' } });
    expect(state).toMatchObject({ state: 'granted', noticeId: 7, noticeVersion: 2 });
    await ledger().append([event({ action: 'withdrawn', state: 'withdrawn', method: 'one-click', noticeId: null })]);
    const after = await app.strapi.db
      .query(UID.state)
      .findOne({ where: { subject: 'subj-a', purpose: 'newsletter', channel: 'email' } });
    expect(after).toMatchObject({ state: 'withdrawn', noticeId: 7 });
    expect(Number(after.lastEventSeq)).toBe(3);
  });

  it('writes rows as the query engine would: a distinct document id and timestamps on events and states', async () => {
    const events = await rows();
    const states = await app.strapi.db.connection(TABLE.state).select('*');
    for (const row of [...events, ...states]) {
      expect(row.document_id).toMatch(/^[a-z0-9]{24}$/);
      expect(row.created_at).not.toBeNull();
      expect(row.published_at).not.toBeNull();
    }
    const ids = [...events, ...states].map((r) => r.document_id);
    expect(new Set(ids).size).toBe(ids.length);
    // And the query engine reads them back like its own.
    const first = await app.strapi.db.query(UID.event).findOne({ where: { seq: 1 } });
    expect(first).toMatchObject({
      documentId: events[0].document_id,
      context: { ip: '203.0.113.0', userAgent: 'test', nested: { b: 1, a: 2 } },
    });
  });

  it('is all or nothing: a failure in the middle writes no event and no state', async () => {
    const before = (await rows()).length;
    const head = await app.strapi.db.connection(TABLE.ledgerHead).where({ name: 'main' }).first();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const message = await rejectionOf(
      ledger().append([event({ subject: 'subj-b' }), event({ subject: 'subj-b', context: circular })])
    );
    expect(message).toEqual(expect.any(String));
    expect((await rows()).length).toBe(before);
    expect(await app.strapi.db.query(UID.state).count({ where: { subject: 'subj-b' } })).toBe(0);
    expect(await app.strapi.db.connection(TABLE.ledgerHead).where({ name: 'main' }).first()).toEqual(head);
  });

  it('keeps one linear chain under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => ledger().append([event({ subject: `c-${i}` })])));
    const seqs = (await rows()).map((r: { seq: number | string }) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(await verify()).toMatchObject({ ok: true, checked: seqs.length, pruned: 0, firstBadEvent: null });
  });
});

describe('verify detects tampering through raw SQL', () => {
  const target = 4;
  const at = (seq: number) => app.strapi.db.connection(TABLE.event).where({ seq });

  afterEach(async () => {
    // Each case restores what it broke: the chain is whole again.
    expect((await verify()).ok).toBe(true);
  });

  it('an edited field', async () => {
    const [original] = await at(target).select('state');
    await withoutLedgerTriggers(app.strapi, async () => {
      await at(target).update({ state: 'refused' });
    });
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadEvent: { seq: target, problem: 'content does not match its hash' },
    });
    await withoutLedgerTriggers(app.strapi, async () => {
      await at(target).update({ state: original.state });
    });
  });

  it('a deleted event', async () => {
    const [row] = await at(target).select('*');
    await withoutLedgerTriggers(app.strapi, async () => {
      await at(target).del();
    });
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadEvent: { seq: target, problem: `event ${target} is missing` },
    });
    await app.strapi.db.connection(TABLE.event).insert(row);
  });

  it('two events swapped', async () => {
    const [a] = await at(target).select('id');
    const [b] = await at(target + 1).select('id');
    const swap = async () =>
      withoutLedgerTriggers(app.strapi, async () => {
        const [ra] = await app.strapi.db.connection(TABLE.event).where({ id: a.id }).select('seq');
        const [rb] = await app.strapi.db.connection(TABLE.event).where({ id: b.id }).select('seq');
        await app.strapi.db.connection(TABLE.event).where({ id: a.id }).update({ seq: -1 });
        await app.strapi.db.connection(TABLE.event).where({ id: b.id }).update({ seq: ra.seq });
        await app.strapi.db.connection(TABLE.event).where({ id: a.id }).update({ seq: rb.seq });
      });
    await swap();
    const result = await verify();
    expect(result).toMatchObject({ ok: false, firstBadEvent: { seq: target } });
    await swap();
  });

  it('a removed tail', async () => {
    const last = await app.strapi.db.connection(TABLE.event).orderBy('seq', 'desc').first();
    await withoutLedgerTriggers(app.strapi, async () => {
      await app.strapi.db.connection(TABLE.event).where({ id: last.id }).del();
    });
    expect(await verify()).toMatchObject({ ok: false, firstBadEvent: { problem: expect.stringMatching(/head says/) } });
    await app.strapi.db.connection(TABLE.event).insert(last);
  });
});

describe('verify reads the chain in pages (A10)', () => {
  // The verification reads 1,000 events a page (services/ledger.ts PAGE): a ledger of a few pages, with the
  // damage on a later page and at a page's edge, is found as on the first one.
  const at = (seq: number) => app.strapi.db.connection(TABLE.event).where({ seq });
  let total = 0;

  beforeAll(async () => {
    for (let batch = 0; batch < 5; batch += 1) {
      await ledger().append(
        Array.from({ length: 500 }, (_, i) => event({ subject: `paged-${batch}-${i}`, purpose: 'partners' }))
      );
    }
    total = Number((await app.strapi.db.connection(TABLE.event).max({ seq: 'seq' }))[0].seq);
    expect(total).toBeGreaterThan(2000);
  });

  it('passes over every page, then finds an edit on a later page', async () => {
    expect(await verify()).toMatchObject({ ok: true, checked: total, firstBadEvent: null });
    const target = total - 3;
    const [original] = await at(target).select('subject');
    await withoutLedgerTriggers(app.strapi, async () => {
      await at(target).update({ subject: 'someone-else' });
    });
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadEvent: { seq: target, problem: 'content does not match its hash' },
    });
    await withoutLedgerTriggers(app.strapi, async () => {
      await at(target).update({ subject: original.subject });
    });
    expect((await verify()).ok).toBe(true);
  });

  it('finds an event missing at the edge of a page', async () => {
    for (const target of [1000, 1001, 2000]) {
      const [row] = await at(target).select('*');
      await withoutLedgerTriggers(app.strapi, async () => {
        await at(target).del();
      });
      expect(await verify()).toMatchObject({
        ok: false,
        firstBadEvent: { seq: target, problem: `event ${target} is missing` },
      });
      await app.strapi.db.connection(TABLE.event).insert(row);
    }
    expect((await verify()).ok).toBe(true);
  });
});

describe('POST /consent/ledger/verify', () => {
  it('answers { ok, checked, firstBadEvent } to a role with records.read, 403 otherwise', async () => {
    const reader = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'ledger-reader@consent.test', ['plugin::consent.records.read'])
    );
    const res = await reader.post('/consent/ledger/verify');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, checked: expect.any(Number), firstBadEvent: null });
    const other = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'no-ledger@consent.test', ['plugin::consent.forms.read'])
    );
    expect((await other.post('/consent/ledger/verify')).status).toBe(403);
  });
});

describe('replay: the states equal the ledger (spec 3)', () => {
  const stateOf = (subject: string) =>
    app.strapi.db.connection(TABLE.state).where({ subject, purpose: 'newsletter', channel: 'email' });

  it('finds nothing to report after the appends above', async () => {
    const result = await ledger().replay();
    expect(result).toEqual({ ok: true, checked: expect.any(Number), mismatches: [] });
    // subj-a and the twenty concurrent people, at least.
    expect(result.checked).toBeGreaterThanOrEqual(21);
  });

  it('names a state changed behind the ledger, with both sides, and only it', async () => {
    const [original] = await stateOf('subj-a').select('*');
    await stateOf('subj-a').update({ state: 'granted', granted_at: new Date() });
    const result = await ledger().replay();
    expect(result.ok).toBe(false);
    expect(result.mismatches).toEqual([
      {
        subject: 'subj-a',
        purpose: 'newsletter',
        channel: 'email',
        fields: ['state', 'grantedAt'],
        expected: expect.objectContaining({
          state: 'withdrawn',
          grantedAt: null,
          lastEventSeq: Number(original.last_event_seq),
        }),
        actual: expect.objectContaining({ state: 'granted', grantedAt: expect.any(String) }),
      },
    ]);
    await stateOf('subj-a').update({ state: original.state, granted_at: original.granted_at });
    expect((await ledger().replay()).ok).toBe(true);
  });

  it('names a state without events and a key whose state is missing', async () => {
    const [kept] = await stateOf('c-3').select('*');
    await stateOf('c-3').del();
    const { id: _id, document_id: _doc, ...copy } = kept;
    await app.strapi.db
      .connection(TABLE.state)
      .insert({ ...copy, subject: 'nobody-recorded', document_id: 'ghost00000000000000000000' });
    const result = await ledger().replay();
    expect(result.ok).toBe(false);
    expect(result.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: 'c-3',
          fields: ['state'],
          expected: expect.objectContaining({ state: 'granted' }),
          actual: null,
        }),
        expect.objectContaining({
          subject: 'nobody-recorded',
          fields: ['state'],
          expected: null,
          actual: expect.objectContaining({ state: 'granted' }),
        }),
      ])
    );
    expect(result.mismatches).toHaveLength(2);
    // The per-person check sees only its people.
    expect((await ledger().replay({ subjects: ['subj-a'] })).ok).toBe(true);

    await app.strapi.db.connection(TABLE.state).where({ subject: 'nobody-recorded' }).del();
    await app.strapi.db.connection(TABLE.state).insert(kept);
    expect((await ledger().replay()).ok).toBe(true);
  });

  it('accepts an expiry a whole number of days after the grant, and no other', async () => {
    await ledger().append([event({ subject: 'subj-life', lifetimeDays: 30 })]);
    expect((await ledger().replay({ subjects: ['subj-life'] })).ok).toBe(true);
    const [row] = await stateOf('subj-life').select('expires_at');
    await stateOf('subj-life').update({ expires_at: new Date(new Date(row.expires_at).getTime() + 1000) });
    expect((await ledger().replay({ subjects: ['subj-life'] })).mismatches).toEqual([
      expect.objectContaining({ subject: 'subj-life', fields: ['expiresAt'] }),
    ]);
    await stateOf('subj-life').update({ expires_at: row.expires_at });
  });
});

describe('POST /consent/ledger/replay', () => {
  it('answers { ok, checked, mismatches } to a role with records.read, 403 otherwise', async () => {
    const reader = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'replay-reader@consent.test', ['plugin::consent.records.read'])
    );
    const res = await reader.post('/consent/ledger/replay');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ ok: true, checked: expect.any(Number), mismatches: [] });
    const other = adminApi(
      app.strapi,
      await createAdminWithActions(app.strapi, 'no-replay@consent.test', ['plugin::consent.forms.read'])
    );
    expect((await other.post('/consent/ledger/replay')).status).toBe(403);
  });
});
