import {
  CANONICAL_FIELDS,
  canonicalEventJson,
  canonicalEventJsonOfValues,
  eventHash,
  eventHashOfValues,
  GENESIS_HASH,
  hashedFieldsOf,
  HASHED_FIELDS,
} from '../../server/src/domain/event-hash';
import { canonicalJson, canonicalString, sha256Hex } from '../../server/src/utils/canonical-json';
import { HASHED_EVENT_FIELDS } from '../harness/ledger-format';

// The proof format's list is kept apart from the code on purpose (test/harness/ledger-format.ts).
it('J1: the hash covers exactly the fields of the proof format, no more, no fewer', () => {
  expect([...HASHED_FIELDS].sort()).toEqual([...HASHED_EVENT_FIELDS].sort());
});

/** The one-pass form must be the generic canonical JSON of the hashed fields, byte for byte: stored hashes depend on it. */
describe('canonicalEventJson', () => {
  const base = {
    seq: 12,
    eventId: '0190a0b0-0000-7000-8000-000000000012',
    subject: 'pseudonym-abc',
    purpose: 'newsletter',
    channel: 'email',
    action: 'granted',
    state: 'granted',
    method: 'form',
    legalBasis: 'consent',
    noticeId: 3,
    noticeVersion: 2,
    noticeHash: 'a'.repeat(64),
    noticeLanguage: 'de',
    formKey: 'signup',
    pageUrl: 'https://example.com/signup?x=1&y="2"',
    context: { userAgent: 'Mozilla/5.0', ip: '203.0.113.0', nested: { b: [1, 'x', null], a: true } },
    evidence: { doubleOptIn: { requestedAt: '2026-01-01T00:00:00.000Z' } },
    actor: 'subject',
    receiptId: null,
    occurredAt: new Date('2026-11-29T08:41:07.123Z'),
    prevHash: GENESIS_HASH,
  };

  it.each([
    ['a full event', base],
    ['numbers and dates as drivers answer them', { ...base, seq: '12', noticeId: '3', occurredAt: 1764405667123 }],
    ['a date as text', { ...base, occurredAt: '2026-11-29T08:41:07.123Z' }],
    [
      'non-ASCII text in every place, decomposed',
      {
        ...base,
        subject: 'Zoë'.normalize('NFD'),
        pageUrl: 'https://exämple.com/ä'.normalize('NFD'),
        context: { ['clé'.normalize('NFD')]: 'für'.normalize('NFD'), emoji: '👍', ctrl: '\u0001\n' },
      },
    ],
    ['missing and undefined fields', { seq: 1, eventId: 'e', context: { a: undefined, b: 1 }, evidence: undefined }],
  ])('%s', (_name, event) => {
    expect(canonicalEventJson(event)).toBe(canonicalJson(hashedFieldsOf(event)));
    expect(eventHash(event)).toBe(sha256Hex(canonicalJson(hashedFieldsOf(event))));
  });
});

/**
 * J1: the verification hashes rows read as arrays (`canonicalEventJsonOfValues`), values as the drivers
 * answer them; each must give the generic canonical JSON of the same event, byte for byte, or a genuine
 * ledger would stop verifying (or a changed one pass). Generated events, deterministic.
 */
describe('J1 canonicalEventJsonOfValues over generated events', () => {
  let seed = 21;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  // Plain ASCII most of the time (the fast path), and everything that path must leave to the generic one.
  const PIECES = [
    'abc',
    'Mozilla/5.0 (X11)',
    '203.0.113.7',
    'https://ex.com/?a=1&b=2',
    ' ',
    '~',
    '#',
    '[]{}',
    '"',
    '\\',
    '\u0000',
    '\u001f',
    '\n',
    '\t',
    '\u007f',
    'é',
    'e\u0301',
    'Zoë'.normalize('NFD'),
    '가',
    '\u1100\u1161',
    '👍',
    '\ud83d',
    '\u2028',
    'ﬁ',
    'Å',
  ];
  const text = () => Array.from({ length: Math.floor(random() * 4) }, () => pick(PIECES)).join('');
  const json = (depth: number): unknown => {
    const r = random();
    if (depth > 2 || r < 0.3) return pick([null, true, false, 0, -7, 12345678901, 1.5, text()]);
    if (r < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => json(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 5); i > 0; i--) object[text() || 'k'] = json(depth + 1);
    return object;
  };
  const maybe = <T>(value: () => T): T | null | undefined => (random() < 0.15 ? pick([null, undefined]) : value());
  const event = (i: number) => ({
    seq: i + 1,
    eventId: `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`,
    subject: maybe(text),
    purpose: maybe(text),
    channel: maybe(() => pick(['email', 'sms', 'postal'])),
    action: maybe(text),
    state: maybe(text),
    method: maybe(text),
    legalBasis: maybe(text),
    noticeId: maybe(() => Math.floor(random() * 1000)),
    noticeVersion: maybe(() => Math.floor(random() * 10)),
    noticeHash: maybe(() => 'f'.repeat(64)),
    noticeLanguage: maybe(text),
    formKey: maybe(text),
    pageUrl: maybe(text),
    context: maybe(() => json(0)),
    evidence: maybe(() => json(0)),
    actor: maybe(text),
    receiptId: maybe(text),
    occurredAt: new Date(1_700_000_000_000 + Math.floor(random() * 1e11)),
    prevHash: 'a'.repeat(64),
  });
  // What the drivers answer: numbers or their text, dates as Date, epoch ms or ISO text, JSON as its text
  // (SQLite, MySQL; key order as written) or parsed (PostgreSQL).
  const asRow = (e: ReturnType<typeof event>): unknown[] =>
    CANONICAL_FIELDS.map((field) => {
      const value = e[field];
      if (value == null) return value;
      if (field === 'seq' || field === 'noticeId' || field === 'noticeVersion')
        return random() < 0.5 ? String(value) : value;
      if (field === 'occurredAt') return pick([value, (value as Date).getTime(), (value as Date).toISOString()]);
      // (A top-level JSON string comes as text: a parsed one would be read as text too, as fromEventColumns does.)
      if (field === 'context' || field === 'evidence')
        return typeof value === 'string' || random() < 0.5 ? JSON.stringify(value) : value;
      return value;
    });

  it('lists every hashed field once, in code point order', () => {
    expect([...CANONICAL_FIELDS].sort()).toEqual([...HASHED_FIELDS].sort());
    expect(CANONICAL_FIELDS).toEqual([...CANONICAL_FIELDS].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('gives the generic canonical JSON and hash of 3,000 generated events, as any driver answers them', () => {
    for (let i = 0; i < 3000; i++) {
      const e = event(i);
      const generic = canonicalJson(hashedFieldsOf(e));
      const row = asRow(e);
      expect(canonicalEventJsonOfValues(row)).toBe(generic);
      // Twice: the second reads JSON text from its cache.
      expect(canonicalEventJsonOfValues(row)).toBe(generic);
      expect(eventHashOfValues(row)).toBe(sha256Hex(generic));
      expect(canonicalEventJson(e)).toBe(generic);
    }
  });

  it('a changed JSON text changes the canonical JSON, cached or not', () => {
    const e = { ...event(1), context: { ip: '203.0.113.0' } };
    const row = asRow(e);
    const index = CANONICAL_FIELDS.indexOf('context');
    row[index] = JSON.stringify(e.context);
    const before = canonicalEventJsonOfValues(row);
    row[index] = JSON.stringify({ ip: '203.0.113.1' });
    expect(canonicalEventJsonOfValues(row)).not.toBe(before);
    expect(canonicalEventJsonOfValues(row)).toBe(
      canonicalJson(hashedFieldsOf({ ...e, context: { ip: '203.0.113.1' } }))
    );
  });

  it("canonicalString's plain-ASCII shortcut quotes as JSON.stringify of the NFC form", () => {
    for (let i = 0; i < 5000; i++) {
      const s = text();
      expect(canonicalString(s)).toBe(JSON.stringify(s.normalize('NFC')));
    }
    for (let c = 0; c < 0x300; c++) {
      const s = `a${String.fromCharCode(c)}b`;
      expect(canonicalString(s)).toBe(JSON.stringify(s.normalize('NFC')));
    }
  });
});
