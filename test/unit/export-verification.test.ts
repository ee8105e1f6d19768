/**
 * The offline verifier of NDJSON ledger exports (domain/export-verification.ts, domain/jws-verify.ts),
 * on exports built here with the server's own hash and signing code: what it accepts, and the line it
 * names for each kind of tampering.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import {
  LEDGER_EXPORT_FORMAT,
  type LedgerExportCheckpoint,
  type LedgerExportEvent,
  type LedgerExportHeader,
} from '../../shared/contracts/records';
import { exportVerifier } from '../../server/src/domain/export-verification';
import { eventHash, GENESIS_HASH, hashedFieldsOf } from '../../server/src/domain/event-hash';
import { base64url, deriveSigningKey, signCompact } from '../../server/src/domain/jws';
import { verifyCompactJws, type Jwk } from '../../server/src/domain/jws-verify';
import { CHECKPOINT_SEAL_TYPE, checkpointOf } from '../../server/src/domain/ledger-checkpoint';

const key = deriveSigningKey('unit-test-secret-0123456789abcdef0123');
const other = deriveSigningKey('another-secret-0123456789abcdef012345');
const keys: Jwk[] = [{ ...key.publicJwk }];

const receiptFor = (receiptId: string, sub: string) =>
  signCompact(
    { receiptId, sub, purposes: [{ purpose: 'newsletter', decision: 'granted' }] },
    key,
    'consent-receipt+jwt'
  );

/** A chain of `n` events for two people, every other event under a receipt. */
const chain = (n: number): LedgerExportEvent[] => {
  let prevHash = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const seq = i + 1;
    const subject = seq % 2 ? 'p-ada' : 'p-bob';
    const receiptId = seq % 2 ? `r-${seq}` : null;
    const fields = hashedFieldsOf({
      seq,
      eventId: `e-${seq}`,
      subject,
      purpose: 'newsletter',
      channel: 'email',
      action: 'granted',
      state: 'granted',
      method: 'form',
      legalBasis: 'consent',
      noticeId: 1,
      noticeVersion: 1,
      noticeHash: 'a'.repeat(64),
      noticeLanguage: 'en',
      formKey: 'signup',
      pageUrl: 'https://shop.example/',
      context: { ip: '203.0.113.0', userAgent: 'Ünïcode' },
      evidence: null,
      actor: 'subject',
      receiptId,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      prevHash,
    });
    const hash = eventHash(fields);
    prevHash = hash;
    return {
      ...(fields as Omit<LedgerExportEvent, 'hash' | 'receipt'>),
      hash,
      receipt: receiptId ? receiptFor(receiptId, subject) : null,
    };
  });
};

const headerOf = (events: LedgerExportEvent[], filter: LedgerExportHeader['filter'] = null): LedgerExportHeader => {
  const last = events[events.length - 1];
  return {
    format: LEDGER_EXPORT_FORMAT,
    exportedAt: '2026-01-02T00:00:00.000Z',
    head: { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH },
    filter,
  };
};

const check = (header: LedgerExportHeader, events: unknown[], withKeys: typeof keys | null = keys) => {
  const verifier = exportVerifier(withKeys);
  const lines = [JSON.stringify(header), ...events.map((e) => JSON.stringify(e))];
  for (const [i, text] of lines.entries()) {
    const problem = verifier.line(text, i + 1);
    if (problem) return { problem, summary: verifier.summary() };
  }
  return { problem: verifier.end(), summary: verifier.summary() };
};

describe('an intact export', () => {
  it('J1, J3: the whole ledger verifies: every hash, every link, every receipt', () => {
    const events = chain(6);
    const { problem, summary } = check(headerOf(events), events);
    expect(problem).toBeNull();
    expect(summary).toMatchObject({
      events: 6,
      firstSeq: 1,
      lastSeq: 6,
      hashesRecomputed: 6,
      linksChecked: 6,
      eventsWithReceipt: 3,
      receiptsVerified: 3,
    });
  });

  it("J1: one person's events verify with the gaps a filter leaves; links only where seqs are consecutive", () => {
    const all = chain(6);
    const ada = all.filter((e) => e.subject === 'p-ada');
    const { problem, summary } = check({ ...headerOf(all), filter: { subject: 'p-ada' } }, ada);
    expect(problem).toBeNull();
    // Only seq 1 links to something in the file (the genesis).
    expect(summary).toMatchObject({ events: 3, hashesRecomputed: 3, linksChecked: 1 });
  });

  it('J3: without a key set the receipts are counted, not checked', () => {
    const events = chain(3);
    const { problem, summary } = check(headerOf(events), events, null);
    expect(problem).toBeNull();
    expect(summary).toMatchObject({ receiptsChecked: false, eventsWithReceipt: 2, receiptsVerified: 0 });
  });
});

describe('tampering, named by line (the header is line 1)', () => {
  it('J1: an edited event fails on its own line', () => {
    const events = chain(5);
    events[2] = { ...events[2], action: 'withdrawn' };
    expect(check(headerOf(events), events).problem).toMatchObject({
      line: 4,
      seq: 3,
      eventId: 'e-3',
      problem: expect.stringMatching(/does not match its hash/),
    });
  });

  it('J1: an edited event whose hash was recomputed breaks the next link', () => {
    const events = chain(5);
    const edited = { ...events[2], action: 'withdrawn' };
    events[2] = { ...edited, hash: eventHash(edited) };
    expect(check(headerOf(events), events).problem).toMatchObject({
      line: 5,
      seq: 4,
      problem: expect.stringMatching(/does not link/),
    });
  });

  it('J1: a deleted event fails where the gap is, a deleted tail at the end', () => {
    const events = chain(5);
    expect(check(headerOf(events), [...events.slice(0, 2), ...events.slice(3)]).problem).toMatchObject({
      line: 4,
      seq: 4,
      problem: 'expected seq 3, found seq 4 (an event deleted or moved)',
    });
    expect(check(headerOf(events), events.slice(0, 4)).problem).toMatchObject({
      line: 6,
      problem: expect.stringMatching(/ends at seq 4 but its head is seq 5/),
    });
  });

  it('J1: two events swapped fail at the first of them, filtered or not', () => {
    const events = chain(5);
    const swapped = [events[0], events[2], events[1], events[3], events[4]];
    expect(check(headerOf(events), swapped).problem).toMatchObject({ line: 3, seq: 3 });
    const ada = events.filter((e) => e.subject === 'p-ada');
    expect(
      check({ ...headerOf(events), filter: { subject: 'p-ada' } }, [ada[1], ada[0], ada[2]]).problem
    ).toMatchObject({
      line: 3,
      seq: 1,
      problem: 'seq 1 after seq 3 (events out of order)',
    });
  });

  it("J1: a filtered export holding another person's event fails", () => {
    const events = chain(4);
    expect(check({ ...headerOf(events), filter: { subject: 'p-ada' } }, events).problem).toMatchObject({
      line: 3,
      seq: 2,
    });
  });

  it("J3: a forged receipt (changed payload, another key, another act) fails on its event's line", () => {
    const events = chain(3);
    const [h, , s] = events[0].receipt!.split('.');
    const changed = base64url(
      JSON.stringify({ receiptId: 'r-1', sub: 'p-ada', purposes: [{ purpose: 'newsletter', decision: 'refused' }] })
    );
    const forged = [{ ...events[0], receipt: `${h}.${changed}.${s}` }, ...events.slice(1)];
    expect(check(headerOf(events), forged).problem).toMatchObject({
      line: 2,
      seq: 1,
      problem: expect.stringMatching(/signature does not verify/),
    });

    const foreign = [
      { ...events[0], receipt: signCompact({ receiptId: 'r-1', sub: 'p-ada' }, other) },
      ...events.slice(1),
    ];
    expect(check(headerOf(events), foreign).problem).toMatchObject({
      line: 2,
      problem: expect.stringMatching(/no key .* in the JWK set/),
    });

    const moved = [events[0], events[1], { ...events[2], receipt: events[0].receipt }];
    expect(check(headerOf(events), moved).problem).toMatchObject({
      line: 4,
      problem: expect.stringMatching(/receipt is r-1, not the r-3/),
    });
  });

  it('J1: a file that is not an export, or not JSON, is refused on line 1', () => {
    expect(exportVerifier(keys).line('seq,eventId', 1)).toMatchObject({ line: 1, problem: 'not valid JSON' });
    expect(exportVerifier(keys).line('{"format":"csv"}', 1)).toMatchObject({ line: 1 });
    expect(exportVerifier(keys).end()).toMatchObject({ line: 1, problem: 'the file is empty' });
  });
});

describe('verifyCompactJws', () => {
  it('J3: accepts EdDSA and ES256 with the right key, refuses alg none and a wrong key', () => {
    expect(verifyCompactJws(receiptFor('r', 's'), keys)).toMatchObject({ ok: true, kid: key.publicJwk.kid });

    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256' };
    const header = base64url(JSON.stringify({ alg: 'ES256', kid: 'ec-1' }));
    const body = base64url(JSON.stringify({ receiptId: 'r' }));
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const es256 = `${header}.${body}.${base64url(signature)}`;
    expect(verifyCompactJws(es256, [jwk])).toMatchObject({ ok: true, kid: 'ec-1' });
    expect(verifyCompactJws(es256, keys)).toMatchObject({ ok: false });

    const none = `${base64url(JSON.stringify({ alg: 'none' }))}.${body}.`;
    expect(verifyCompactJws(none, [...keys, jwk])).toEqual({ ok: false, problem: 'algorithm none is not accepted' });
  });
});

describe("the ledger's signed checkpoints in the header", () => {
  const sealed = (event: LedgerExportEvent, signer = key): LedgerExportCheckpoint => {
    const cp = checkpointOf(event, new Date(Date.UTC(2026, 0, 1, 1)));
    return { ...cp, seal: signCompact({ ...cp }, signer, CHECKPOINT_SEAL_TYPE) };
  };
  /** The chain rewritten from `seq` on: every hash recomputed, every link remade, the head moved. */
  const rewritten = (events: LedgerExportEvent[], seq: number) => {
    const out = events.map((e) => ({ ...e }));
    out[seq - 1] = { ...out[seq - 1], action: 'withdrawn', state: 'withdrawn' };
    for (let i = seq - 1; i < out.length; i += 1) {
      if (i > 0) out[i].prevHash = out[i - 1].hash;
      out[i].hash = eventHash(out[i]);
    }
    return out;
  };

  it('J1: each seal is verified and each checkpoint found at its event; an export without any still verifies', () => {
    const events = chain(6);
    const header = { ...headerOf(events), checkpoints: [sealed(events[2]), sealed(events[5])] };
    const { problem, summary } = check(header, events);
    expect(problem).toBeNull();
    expect(summary).toMatchObject({ checkpoints: 2, checkpointSealsVerified: 2, checkpointsMatched: 2 });
    // Older exports have no checkpoints field.
    expect(check(headerOf(events), events)).toMatchObject({ problem: null, summary: { checkpoints: 0 } });
  });

  it('J1: a chain rewritten and rehashed to its head links again, but its checkpoint names the old event', () => {
    const events = chain(6);
    const checkpoints = [sealed(events[3])];
    const forged = rewritten(events, 2);
    // Without the checkpoint the rewrite is invisible.
    expect(check(headerOf(forged), forged).problem).toBeNull();
    for (const withKeys of [keys, null])
      expect(check({ ...headerOf(forged), checkpoints }, forged, withKeys).problem).toMatchObject({
        line: 5,
        seq: 4,
        problem: expect.stringMatching(/not the event its checkpoint .* vouches for/),
      });
  });

  it('J1: an edited checkpoint (its hash, its seq, its time) or one sealed with another key is reported on line 1', () => {
    const events = chain(6);
    const cp = sealed(events[2]);
    const edits: LedgerExportCheckpoint[] = [
      { ...cp, hash: events[4].hash },
      { ...cp, seq: 5, count: 5, eventId: 'e-5', hash: events[4].hash },
      { ...cp, createdAt: '2026-01-01T02:00:00.000Z' },
      sealed(events[2], other),
    ];
    for (const edited of edits)
      expect(check({ ...headerOf(events), checkpoints: [edited] }, events).problem).toMatchObject({
        line: 1,
        problem: expect.stringMatching(/^checkpoint 1 of the header .*\(edited or forged\)$/),
      });
    // Without a key set its seal is not checked, but a checkpoint that does not match the chain still fails.
    expect(check({ ...headerOf(events), checkpoints: [edits[0]] }, events, null).problem).toMatchObject({
      line: 4,
      seq: 3,
    });
    expect(check({ ...headerOf(events), checkpoints: [{ ...cp, seq: 9 }] }, events).problem).toMatchObject({
      line: 1,
      problem: expect.stringMatching(/after the export's head/),
    });
    expect(check({ ...headerOf(events), checkpoints: {} } as never, events).problem).toMatchObject({ line: 1 });
  });
});
