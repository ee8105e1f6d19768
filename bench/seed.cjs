/**
 * The seeding fast path: ledger events written in bulk (the ledger's `bulkWrite`, one transaction per
 * 20,000 events under the ledger lock), yet exactly the rows `ledger.append` would write. Events are chained
 * with the ledger's own `eventHash` (seq and prevHash continuing the head), the states are what
 * `nextState` makes of them, and the head moves on, so `ledger.verify()` over the seeded ledger is a real
 * verification and eligibility reads real states. Through `ledger.append` a million events would take
 * hours on SQLite (about 8 ms per event, test/integration/audiences.test.ts).
 *
 * The mix, per person (deterministic, seeded PRNG): every person has an email, 40 % a phone number;
 * a sign-up form showed the newsletter and partner offers (75 % of people), the newsletter ticked by 65 %
 * of them (one grant in five by double opt-in: requested, then confirmed), partner offers by 30 %; later,
 * 10 % of newsletter grants and 5 % of partner grants are withdrawn by one-click; 4 % object to the postal
 * catalogue; half of the people with a phone number grant SMS offers. About 2.6 events per person. Receipts
 * are not seeded (they are written by submissions only and read by nothing measured here).
 */
const path = require('node:path');

const SRC = path.resolve(__dirname, '..', 'server', 'src');

/** The ledger's pure functions straight from the TypeScript sources (compiled with swc as required). */
const loadDomain = () => {
  require('../scripts/register-ts.cjs');
  return {
    eventHash: require(path.join(SRC, 'domain/event-hash.ts')).eventHash,
    nextState: require(path.join(SRC, 'domain/consent-state.ts')).nextState,
    TABLE: require(path.join(SRC, 'constants.ts')).TABLE,
    UID: require(path.join(SRC, 'constants.ts')).UID,
    ledgerRows: require(path.join(SRC, 'database/ledger-rows.ts')),
    documentIds: require(path.join(SRC, 'database/document-id.ts')).documentIds,
    orderedId: require(path.join(SRC, 'database/ordered-id.ts')).orderedId,
  };
};

const EVENTS_PER_TRANSACTION = 20_000;
const DAY = 86_400_000;

/** mulberry32: small, fast, deterministic. */
const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const emailOf = (i) => `user${i}@bench.example`;
const phoneOf = (i) => `+336${String(10_000_000 + i).slice(-8)}`;
const hasPhone = (i) => i % 5 < 2;

const createSeeder = (strapi, { engine, notices, purposes }) => {
  const { eventHash, nextState, TABLE, UID, ledgerRows, documentIds, orderedId } = loadDomain();
  // Ids as the plugin gives its own rows (time-ordered), so seeded rows look like real ones.
  const ids = {
    subject: documentIds(strapi, UID.subject),
    event: documentIds(strapi, UID.event),
    state: documentIds(strapi, UID.state),
  };
  const knex = strapi.db.connection;
  const consent = strapi.plugin('consent');
  const subjects = consent.service('subjects');
  const random = prng(42);
  let nextSubject = 0;

  /** The events one person's history is made of, oldest first. */
  const historyOf = (i, pseudonym, start) => {
    const out = [];
    let t = start;
    const at = () => new Date((t += Math.floor(random() * 3 * DAY) + 60_000));
    const notice = (key) => notices[key];
    const base = (purpose, extra) => ({
      subject: pseudonym,
      purpose,
      channel: purposes[purpose].channels[0],
      legalBasis: purposes[purpose].legalBasis,
      actor: 'subject',
      noticeId: null,
      noticeVersion: null,
      noticeHash: null,
      noticeLanguage: null,
      formKey: null,
      pageUrl: null,
      context: null,
      evidence: null,
      receiptId: null,
      ...extra,
    });
    if (random() < 0.75) {
      const receiptId = orderedId();
      const when = at();
      const form = (purpose) => ({
        noticeId: notice(purpose).id,
        noticeVersion: notice(purpose).version,
        noticeHash: notice(purpose).hash,
        noticeLanguage: 'en',
        formKey: 'bench',
        pageUrl: 'https://shop.bench.example/join',
        context: { ip: `203.0.${i % 250}.0`, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' },
        receiptId,
        method: 'form',
        occurredAt: when,
      });
      const newsletter = random() < 0.65;
      if (newsletter && random() < 0.2) {
        out.push(base('newsletter', { ...form('newsletter'), action: 'requested', state: 'pending' }));
        out.push(
          base('newsletter', {
            ...form('newsletter'),
            action: 'confirmed',
            state: 'granted',
            method: 'double-opt-in',
            occurredAt: at(),
            context: null,
          })
        );
      } else {
        out.push(
          base('newsletter', {
            ...form('newsletter'),
            ...(newsletter ? { action: 'granted', state: 'granted' } : { action: 'refused', state: 'refused' }),
          })
        );
      }
      const partners = random() < 0.3;
      out.push(
        base('partners', {
          ...form('partners'),
          ...(partners ? { action: 'granted', state: 'granted' } : { action: 'refused', state: 'refused' }),
        })
      );
      if (newsletter && random() < 0.1) {
        out.push(
          base('newsletter', { action: 'withdrawn', state: 'withdrawn', method: 'one-click', occurredAt: at() })
        );
      }
      if (partners && random() < 0.05) {
        out.push(base('partners', { action: 'withdrawn', state: 'withdrawn', method: 'one-click', occurredAt: at() }));
      }
    }
    if (random() < 0.04) {
      out.push(
        base('postal', { action: 'objected', state: 'objected', method: 'preference-center', occurredAt: at() })
      );
    }
    if (hasPhone(i) && random() < 0.5) {
      out.push(
        base('sms', { action: 'granted', state: 'granted', method: 'form', formKey: 'bench', occurredAt: at() })
      );
    }
    return out;
  };

  return {
    /** People seeded so far (their emails are `user0…user(n-1)@bench.example`). */
    get subjects() {
      return nextSubject;
    },
    emailOf,

    /** Appends whole people's histories until the ledger holds at least `target` events. */
    async seedTo(target) {
      const started = Date.now();
      let written = 0;
      let people = 0;
      const ledger = consent.service('ledger');
      for (;;) {
        const head = await knex(TABLE.ledgerHead).where({ name: 'main' }).first();
        if (Number(head.seq) >= target) break;
        await strapi.db.transaction(async ({ trx }) => {
          await ledger.lock();
          const locked = await knex(TABLE.ledgerHead).transacting(trx).where({ name: 'main' }).first();
          let seq = Number(locked.seq);
          let prevHash = locked.hash;
          const stop = Math.min(target, seq + EVENTS_PER_TRANSACTION);
          const subjectRows = [];
          const eventRows = [];
          const stateRows = [];
          const now = new Date();
          // Histories span the last two years, so no grant of the 730-day newsletter has expired yet.
          const start = Date.now() - 700 * DAY;
          while (seq < stop) {
            const i = nextSubject++;
            const pseudonym = orderedId();
            const email = emailOf(i);
            const phone = hasPhone(i) ? phoneOf(i) : null;
            subjectRows.push({
              document_id: ids.subject(),
              pseudonym,
              email,
              email_hash: subjects.hash('email', email),
              phone,
              phone_hash: phone ? subjects.hash('phone', phone) : null,
              language: 'en',
              audience: 'any',
              jurisdiction: 'fr',
              created_at: now,
              updated_at: now,
            });
            const states = new Map();
            for (const input of historyOf(i, pseudonym, start + Math.floor(random() * 30 * DAY))) {
              seq += 1;
              const occurredAt = new Date(Math.min(input.occurredAt.getTime(), Date.now()));
              const event = { ...input, seq, eventId: orderedId(), occurredAt, prevHash };
              event.hash = eventHash(event);
              prevHash = event.hash;
              eventRows.push({ ...ledgerRows.toEventColumns(event, now), document_id: ids.event() });
              const key = `${event.purpose}|${event.channel}`;
              const lifetimeDays = purposes[event.purpose].lifetimeDays ?? null;
              states.set(key, nextState(states.get(key) ?? null, { ...event, lifetimeDays }));
            }
            for (const [key, s] of states) {
              const [purpose, channel] = key.split('|');
              stateRows.push({
                subject: pseudonym,
                purpose,
                channel,
                ...ledgerRows.toStateColumns(s),
                document_id: ids.state(),
                created_at: now,
                updated_at: now,
                published_at: now,
              });
            }
            people += 1;
          }
          // The ledger's own bulk writer (multi-row INSERT … VALUES), as its groups of submissions are written.
          await ledger.bulkWrite([
            { table: TABLE.subject, insert: subjectRows },
            { table: TABLE.event, insert: eventRows },
            { table: TABLE.state, insert: stateRows },
            { table: TABLE.ledgerHead, update: { where: { name: 'main' }, data: { seq, hash: prevHash } } },
          ]);
          written += eventRows.length;
        });
      }
      // What autovacuum would do within a minute of such an import: without statistics PostgreSQL
      // plans as if the tables were empty.
      if (engine === 'postgres') {
        await knex.raw('analyze ??, ??, ??, ??', [TABLE.event, TABLE.state, TABLE.subject, TABLE.suppression]);
      }
      return { events: written, people, ms: Date.now() - started };
    },
  };
};

module.exports = { createSeeder, emailOf };
