import {
  LEDGER_EXPORT_FORMAT,
  type LedgerExportCheckpoint,
  type LedgerExportEvent,
  type LedgerExportHeader,
} from '../../../shared/contracts/records';
import { eventHash, GENESIS_HASH } from './event-hash';
import { verifyCompactJws, type Jwk, type JwsCheck } from './jws-verify';
import { checkpointProblem } from './ledger-checkpoint';
import { personalFieldsLeft, prunedEventProblem } from './proof-pruning';

/**
 * J1, J3: checking an NDJSON ledger export (services/records.ts) with nothing but the file and the JWK
 * set, one line at a time so a file of any size is checked in flat memory. Every event's hash is
 * recomputed with the server's own code (event-hash.ts). An unfiltered export must be the whole chain:
 * seq 1 to the header's head, each linked to the one before. A filtered export (one person, a purpose, a
 * period) leaves gaps by design, so there each hash is checked, seqs must rise, and links are checked
 * wherever two seqs are consecutive. Every receipt's signature is checked against the key set, and the
 * receipt must be the one the event names, for the person the event names.
 *
 * An event pruned at the end of its proof period (I5: `prunedAt` set, personal fields null) cannot have
 * its hash recomputed: the next event's hash covers it (as its prevHash), and its seal, signed with the
 * receipts' key, covers what it keeps. With a key set the seal is checked; without one only its shape.
 *
 * The header's signed checkpoints (J1) are what makes a rewritten chain show: a chain edited and rehashed
 * from the edit to the head links again, but a checkpoint sealed before the edit still names the old hash
 * at its seq. With a key set each seal is checked against what the checkpoint states; with or without,
 * each checkpoint whose event is in the file must name that event and the hash recomputed there.
 */

export interface ExportProblem {
  /** 1-based line of the file. */
  line: number;
  seq: number | null;
  eventId: string | null;
  problem: string;
}

export interface ExportSummary {
  header: LedgerExportHeader | null;
  events: number;
  firstSeq: number | null;
  lastSeq: number | null;
  hashesRecomputed: number;
  linksChecked: number;
  /** Events naming a receipt, and the distinct receipts among them whose signature was checked. */
  eventsWithReceipt: number;
  receiptsVerified: number;
  receiptsChecked: boolean;
  keys: number;
  /** Events pruned at the end of their proof period (I5), and how many of their seals were verified. */
  prunedEvents: number;
  prunedSealsVerified: number;
  /** The header's checkpoints, those whose seal was verified, and those found at their event in the file. */
  checkpoints: number;
  checkpointSealsVerified: number;
  checkpointsMatched: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** `keys` null: receipts are counted but their signatures not checked (no key set given). */
export const exportVerifier = (keys: Jwk[] | null) => {
  let header: LedgerExportHeader | null = null;
  let lastLine = 0;
  let prev: { seq: number; hash: string } | null = null;
  const receipts = new Map<string, JwsCheck>();
  const summary: ExportSummary = {
    header: null,
    events: 0,
    firstSeq: null,
    lastSeq: null,
    hashesRecomputed: 0,
    linksChecked: 0,
    eventsWithReceipt: 0,
    receiptsVerified: 0,
    receiptsChecked: keys !== null,
    keys: keys?.length ?? 0,
    prunedEvents: 0,
    prunedSealsVerified: 0,
    checkpoints: 0,
    checkpointSealsVerified: 0,
    checkpointsMatched: 0,
  };
  // The header's checkpoints by seq, each waiting for its event's line.
  const checkpointsAt = new Map<number, LedgerExportCheckpoint[]>();

  /** J1: the header's checkpoints, their shape and (with a key set) their seals. */
  const readCheckpoints = (value: unknown, headSeq: number, line: number): ExportProblem | null => {
    if (value === undefined) return null;
    if (!Array.isArray(value))
      return { line, seq: null, eventId: null, problem: 'the header checkpoints are not a list' };
    for (const [i, raw] of value.entries()) {
      const cp = raw as Partial<LedgerExportCheckpoint> | null;
      const seq = cp && Number.isInteger(cp.seq) ? cp.seq! : null;
      const fail = (problem: string): ExportProblem => ({
        line,
        seq,
        eventId: typeof cp?.eventId === 'string' ? cp.eventId : null,
        problem: `checkpoint ${i + 1} of the header ${problem}`,
      });
      if (
        !cp ||
        typeof cp !== 'object' ||
        seq === null ||
        seq < 1 ||
        typeof cp.eventId !== 'string' ||
        typeof cp.hash !== 'string' ||
        !HEX64.test(cp.hash) ||
        !Number.isInteger(cp.count) ||
        typeof cp.createdAt !== 'string' ||
        typeof cp.seal !== 'string'
      )
        return fail('is not a checkpoint { seq, eventId, hash, count, createdAt, seal }');
      if (seq > headSeq) return fail(`is at seq ${seq}, after the export's head (seq ${headSeq})`);
      if (keys) {
        const problem = checkpointProblem(cp as LedgerExportCheckpoint, verifyCompactJws(cp.seal, keys));
        if (problem) return fail(`${problem} (edited or forged)`);
        summary.checkpointSealsVerified += 1;
      }
      summary.checkpoints += 1;
      checkpointsAt.set(seq, [...(checkpointsAt.get(seq) ?? []), cp as LedgerExportCheckpoint]);
    }
    return null;
  };

  /** I5: a pruned event, checked against its seal instead of its hash. */
  const checkPruned = (event: LedgerExportEvent, fail: (p: string) => ExportProblem): ExportProblem | null => {
    if (typeof event.pruneSeal !== 'string') return fail('pruned without a seal');
    summary.prunedEvents += 1;
    // Without the key set a seal proves nothing; what can still be said is that nothing personal remains.
    if (!keys) {
      const left = personalFieldsLeft(event);
      return left ? fail(left) : null;
    }
    const check = verifyCompactJws(event.pruneSeal, keys);
    if (!check.ok) return fail(`its prune seal is not genuine (${check.problem})`);
    const problem = prunedEventProblem(event, check.payload);
    if (problem) return fail(`${problem} (edited)`);
    summary.prunedSealsVerified += 1;
    return null;
  };

  const readHeader = (value: unknown, line: number): ExportProblem | null => {
    const h = value as Partial<LedgerExportHeader> | null;
    const fail = (problem: string) => ({ line, seq: null, eventId: null, problem });
    if (!h || typeof h !== 'object' || h.format !== LEDGER_EXPORT_FORMAT) {
      return fail(`the first line is not a ledger export header (format ${LEDGER_EXPORT_FORMAT})`);
    }
    if (!h.head || !Number.isInteger(h.head.seq) || h.head.seq < 0 || typeof h.head.hash !== 'string') {
      return fail('the header has no valid head { seq, hash }');
    }
    if (h.filter !== null && (typeof h.filter !== 'object' || Array.isArray(h.filter))) {
      return fail('the header filter is neither null nor an object');
    }
    header = h as LedgerExportHeader;
    summary.header = header;
    return readCheckpoints(h.checkpoints, h.head.seq, line);
  };

  const checkReceipt = (event: LedgerExportEvent, fail: (p: string) => ExportProblem): ExportProblem | null => {
    if (event.receipt == null) return null;
    if (typeof event.receipt !== 'string') return fail('its receipt is not a JWS string');
    if (event.receiptId == null) return fail('it carries a receipt but names none');
    summary.eventsWithReceipt += 1;
    if (!keys) return null;
    let check = receipts.get(event.receipt);
    if (!check) {
      check = verifyCompactJws(event.receipt, keys);
      receipts.set(event.receipt, check);
      if (check.ok) summary.receiptsVerified += 1;
    }
    if (!check.ok) return fail(`receipt ${event.receiptId}: ${check.problem} (forged or altered)`);
    const payload = check.payload as { receiptId?: unknown; sub?: unknown } | null;
    if (payload?.receiptId !== event.receiptId) {
      return fail(`its receipt is ${String(payload?.receiptId)}, not the ${event.receiptId} it names`);
    }
    if (payload?.sub !== event.subject) return fail(`its receipt ${event.receiptId} is for another person`);
    return null;
  };

  const readEvent = (value: unknown, line: number): ExportProblem | null => {
    const h = header!;
    const e = value as LedgerExportEvent;
    const seq = e && typeof e === 'object' && Number.isInteger(e.seq) ? e.seq : null;
    const eventId = e && typeof e === 'object' && typeof e.eventId === 'string' ? e.eventId : null;
    const fail = (problem: string): ExportProblem => ({ line, seq, eventId, problem });
    if (!e || typeof e !== 'object' || Array.isArray(e)) return fail(`not an event (${describe(e)})`);
    if (seq === null || seq < 1) return fail('no valid seq');
    if (typeof e.hash !== 'string' || !HEX64.test(e.hash)) return fail('no valid hash');
    if (typeof e.prevHash !== 'string' || !HEX64.test(e.prevHash)) return fail('no valid prevHash');

    if (seq > h.head.seq) return fail(`seq ${seq} is after the export's head (seq ${h.head.seq})`);
    if (h.filter === null) {
      const expected = (prev?.seq ?? 0) + 1;
      if (seq !== expected) return fail(`expected seq ${expected}, found seq ${seq} (an event deleted or moved)`);
    } else {
      if (prev && seq <= prev.seq) return fail(`seq ${seq} after seq ${prev.seq} (events out of order)`);
      if (h.filter.subject !== undefined && e.subject !== h.filter.subject) {
        return fail(`belongs to another person than the export's (${h.filter.subject})`);
      }
    }
    if (e.prunedAt != null) {
      const prunedProblem = checkPruned(e, fail);
      if (prunedProblem) return prunedProblem;
    } else {
      summary.hashesRecomputed += 1;
      if (eventHash(e) !== e.hash) return fail('content does not match its hash (edited)');
    }
    // Unfiltered, every link; filtered, only where the previous seq is in the file (or is the genesis).
    const linked = seq === 1 ? GENESIS_HASH : prev && prev.seq === seq - 1 ? prev.hash : null;
    if (linked !== null) {
      summary.linksChecked += 1;
      if (e.prevHash !== linked) return fail('does not link to the previous event (prevHash)');
    }
    if (seq === h.head.seq && e.hash !== h.head.hash) return fail("is the head's seq but not the head's hash");
    const receiptProblem = checkReceipt(e, fail);
    if (receiptProblem) return receiptProblem;
    for (const cp of checkpointsAt.get(seq) ?? []) {
      if (cp.eventId !== e.eventId || cp.hash !== e.hash)
        return fail(`is not the event its checkpoint of ${cp.createdAt} vouches for (the chain was rewritten)`);
      summary.checkpointsMatched += 1;
    }

    prev = { seq, hash: e.hash };
    summary.events += 1;
    summary.firstSeq ??= seq;
    summary.lastSeq = seq;
    return null;
  };

  return {
    /** Checks the file's line `line` (1-based); the first problem found, or null. Blank lines are skipped. */
    line(text: string, line: number): ExportProblem | null {
      lastLine = line;
      if (text.trim() === '') return null;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { line, seq: null, eventId: null, problem: 'not valid JSON' };
      }
      return header === null ? readHeader(value, line) : readEvent(value, line);
    },

    /** After the last line: an unfiltered export must reach the head, or its tail was cut. */
    end(): ExportProblem | null {
      const h = header as LedgerExportHeader | null;
      const line = lastLine + 1;
      if (h === null) return { line: Math.max(line - 1, 1), seq: null, eventId: null, problem: 'the file is empty' };
      const lastSeq = prev?.seq ?? 0;
      if (h.filter === null && lastSeq !== h.head.seq) {
        return {
          line,
          seq: lastSeq + 1,
          eventId: null,
          problem: `the export ends at seq ${lastSeq} but its head is seq ${h.head.seq} (events deleted from the end)`,
        };
      }
      return null;
    },

    summary: (): ExportSummary => ({ ...summary }),
  };
};
