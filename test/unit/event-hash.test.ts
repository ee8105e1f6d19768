import {
  canonicalEventJson,
  eventHash,
  GENESIS_HASH,
  HASHED_FIELDS,
  hashedFieldsOf,
} from '../../server/src/domain/event-hash';
import { canonicalJson, sha256Hex } from '../../server/src/utils/canonical-json';
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
