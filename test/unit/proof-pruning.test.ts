import { defaultConfig } from '../../server/src/config/defaults';
import { validateConfig } from '../../server/src/config/validate';
import { eventHash, HASHED_FIELDS } from '../../server/src/domain/event-hash';
import {
  ENDED_STATES,
  KEPT_FIELDS,
  mayPruneProof,
  personalFieldsLeft,
  PRUNED_FIELDS,
  proofPrunableFrom,
  pruneSealOf,
  prunedEventProblem,
  type ProofKeyFacts,
} from '../../server/src/domain/proof-pruning';

const t = (iso: string) => new Date(iso);
const ev = (
  action: 'granted' | 'withdrawn' | 'contacted' | 'expired',
  at: string,
  channel: 'email' | 'phone' = 'email'
) =>
  ({
    action,
    state: action === 'contacted' ? 'granted' : action,
    channel,
    legalBasis: 'consent',
    occurredAt: t(at),
  }) as const;

const ended = (over: Partial<ProofKeyFacts> = {}): ProofKeyFacts => ({
  state: 'withdrawn',
  legalBasis: 'consent',
  jurisdiction: 'fr',
  audience: 'consumer',
  events: [ev('granted', '2018-01-10T09:00:00Z'), ev('withdrawn', '2020-06-01T12:00:00Z')],
  ...over,
});

describe('proofPrunableFrom / mayPruneProof (I5: proof kept while in use, then for the limitation period)', () => {
  it('I5: the default period is five years (French civil limitation, C. civ. 2224)', () => {
    expect(defaultConfig.retention.proofYears).toBe(5);
  });

  it('I5: an ended consent may be pruned five years after its last event, not a moment before', () => {
    expect(proofPrunableFrom(ended(), 5)).toEqual(t('2025-06-01T12:00:00Z'));
    expect(mayPruneProof(ended(), t('2025-06-01T11:59:59Z'), 5)).toBe(false);
    expect(mayPruneProof(ended(), t('2025-06-01T12:00:00Z'), 5)).toBe(true);
  });

  it('I5: the period is configurable (e.g. 3 years)', () => {
    expect(proofPrunableFrom(ended(), 3)).toEqual(t('2023-06-01T12:00:00Z'));
  });

  it('I5: a use after the end restarts the period (the last event counts, whatever it is)', () => {
    const facts = ended({ events: [...ended().events, ev('contacted', '2021-02-01T00:00:00Z')] });
    expect(proofPrunableFrom(facts, 5)).toEqual(t('2026-02-01T00:00:00Z'));
  });

  it('I5: withdrawn, expired, revoked and refused consents end; granted, pending, objected and none keep their proof', () => {
    expect([...ENDED_STATES].sort()).toEqual(['expired', 'refused', 'revoked', 'withdrawn']);
    for (const state of ['granted', 'pending', 'objected', 'none'] as const) {
      expect(proofPrunableFrom(ended({ state }), 5)).toBeNull();
    }
  });

  it('I5: only consent proof is pruned (another basis keeps its rows); null keeps proof forever', () => {
    expect(proofPrunableFrom(ended({ legalBasis: 'legitimate-interest' }), 5)).toBeNull();
    expect(proofPrunableFrom(ended(), null)).toBeNull();
    expect(proofPrunableFrom(ended({ events: [] }), 5)).toBeNull();
  });

  it('I5: a German consumer phone consent is kept five years from its last use, even with a shorter period', () => {
    const phone = ended({
      jurisdiction: 'de',
      events: [
        ev('granted', '2016-01-01T00:00:00Z', 'phone'),
        ev('contacted', '2022-03-01T00:00:00Z', 'phone'),
        ev('withdrawn', '2022-09-01T00:00:00Z', 'phone'),
      ],
    });
    // Five years from the use, to the end of 1 March 2027 in Berlin (23:00 UTC), not the same UTC instant.
    expect(proofPrunableFrom(phone, 3)).toEqual(t('2027-03-01T23:00:00Z'));
    expect(mayPruneProof(phone, t('2026-12-01T00:00:00Z'), 3)).toBe(false);
    expect(mayPruneProof(phone, t('2027-03-01T12:00:00Z'), 3)).toBe(false);
    expect(mayPruneProof(phone, t('2027-03-01T23:00:00Z'), 3)).toBe(true);
    // The same dates by e-mail, or for a professional: only the period.
    expect(
      proofPrunableFrom({ ...phone, events: phone.events.map((e) => ({ ...e, channel: 'email' as const })) }, 3)
    ).toEqual(t('2025-09-01T00:00:00Z'));
    expect(proofPrunableFrom({ ...phone, audience: 'professional' }, 3)).toEqual(t('2025-09-01T00:00:00Z'));
  });
});

describe('what pruning clears and what its seal keeps checkable (I5, J1)', () => {
  const event = {
    seq: 12,
    eventId: '0190c7e1-aaaa-7bbb-8ccc-000000000012',
    subject: 'pseudo-1',
    purpose: 'newsletter',
    channel: 'email',
    action: 'withdrawn',
    state: 'withdrawn',
    method: 'preference-center',
    legalBasis: 'consent',
    noticeId: 3,
    noticeVersion: 2,
    noticeHash: 'b'.repeat(64),
    noticeLanguage: 'fr',
    formKey: 'signup',
    pageUrl: 'https://shop.example/?email=a@b.c',
    context: { ip: '203.0.113.0' },
    evidence: { note: 'asked by phone' },
    actor: 'admin:7',
    receiptId: 'r-1',
    occurredAt: new Date('2019-05-01T08:00:00.123Z'),
    prevHash: 'c'.repeat(64),
  };
  const stored = { ...event, hash: eventHash(event) };
  const prunedAt = t('2026-12-06T03:47:00.000Z');
  const prunedRow = {
    ...stored,
    ...Object.fromEntries(PRUNED_FIELDS.map((f) => [f, null])),
    prunedAt: prunedAt.toISOString(),
  };
  const seal = pruneSealOf(stored, prunedAt);

  it('I5: the pseudonym, page address, context, evidence, actor and receipt id go; the rest of the hashed fields stay', () => {
    expect([...PRUNED_FIELDS]).toEqual(['subject', 'pageUrl', 'context', 'evidence', 'actor', 'receiptId']);
    expect([...KEPT_FIELDS, ...PRUNED_FIELDS].sort()).toEqual([...HASHED_FIELDS].sort());
    expect(KEPT_FIELDS).toEqual(expect.arrayContaining(['seq', 'purpose', 'action', 'occurredAt', 'prevHash']));
    expect(seal).toMatchObject({
      seq: 12,
      hash: stored.hash,
      prevHash: event.prevHash,
      prunedAt: prunedAt.toISOString(),
    });
    expect(JSON.stringify(seal)).not.toContain('pseudo-1');
    expect(JSON.stringify(seal)).not.toContain('203.0.113.0');
  });

  it('I5: a pruned event that matches its seal passes', () => {
    expect(prunedEventProblem(prunedRow, seal)).toBeNull();
  });

  it('I5: an edited kept field, hash or prune time, or a seal of another event, is named', () => {
    expect(prunedEventProblem({ ...prunedRow, action: 'granted' }, seal)).toMatch(/remaining fields/);
    expect(prunedEventProblem({ ...prunedRow, occurredAt: new Date('2019-05-01T08:00:00.124Z') }, seal)).toMatch(
      /remaining fields/
    );
    expect(prunedEventProblem({ ...prunedRow, hash: 'a'.repeat(64) }, seal)).toMatch(/hash or prevHash/);
    expect(prunedEventProblem({ ...prunedRow, prunedAt: '2030-01-01T00:00:00.000Z' }, seal)).toMatch(/prune time/);
    expect(prunedEventProblem({ ...prunedRow, seq: 13 }, seal)).toMatch(/another event/);
    expect(prunedEventProblem(prunedRow, null)).toMatch(/no payload/);
  });

  it('I5: a personal field left on a pruned event is named', () => {
    expect(personalFieldsLeft({ ...prunedRow, context: { ip: '1.2.3.4' } })).toBe('pruned, yet it holds context');
    expect(prunedEventProblem({ ...prunedRow, subject: 'pseudo-1' }, seal)).toBe('pruned, yet it holds subject');
  });
});

describe('retention.proofYears at boot (I5)', () => {
  const withYears = (proofYears: unknown) => ({
    ...defaultConfig,
    retention: { ...defaultConfig.retention, proofYears },
  });
  it('I5: whole years from 1 to 30, or null', () => {
    for (const ok of [1, 5, 30, null]) expect(() => validateConfig(withYears(ok), 'test')).not.toThrow();
  });
  it.each([[0], [2.5], [31], ['5']])('I5: %j is refused naming the key', (bad) => {
    expect(() => validateConfig(withYears(bad), 'test')).toThrow(/consent\.retention\.proofYears/);
  });
});
