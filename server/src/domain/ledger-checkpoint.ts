import type { JwsCheck } from './jws-verify';

/** The `typ` of a checkpoint's seal: never taken for a receipt or a prune seal. */
export const CHECKPOINT_SEAL_TYPE = 'consent-checkpoint+jwt';

/**
 * What a checkpoint states, and its seal signs: the chain verified from its first event up to `seq`
 * (`eventId`), whose hash there is `hash`, `count` events in all, at `createdAt` (ISO 8601, milliseconds).
 */
export interface Checkpoint {
  seq: number;
  eventId: string;
  hash: string;
  count: number;
  createdAt: string;
}

/** A stored checkpoint: what it states, and the seal over it. */
export interface StoredCheckpoint extends Checkpoint {
  id: number;
  seal: string;
}

/** The checkpoint of a chain verified up to this event, made now. */
export const checkpointOf = (event: { seq: number; eventId: string; hash: string }, now: Date): Checkpoint => ({
  seq: event.seq,
  eventId: event.eventId,
  hash: event.hash,
  // The chain has no gap (verify checks it): its count is the last seq. Signed apart so a reader need not
  // know that rule to see how many events a checkpoint vouches for.
  count: event.seq,
  createdAt: new Date(Math.floor(now.getTime())).toISOString(),
});

/**
 * Checks a stored checkpoint against its seal (already checked against the plugin's key set, retired keys
 * included): genuine, and stating exactly what the row says. The problem, or null: a checkpoint with a
 * problem is reported and never started from.
 */
export const checkpointProblem = (row: Checkpoint, seal: JwsCheck | null): string | null => {
  if (!seal) return 'has no seal';
  if (!seal.ok) return `its seal is not genuine (${seal.problem})`;
  const s = seal.payload as Partial<Checkpoint> | null;
  if (!s || typeof s !== 'object') return 'its seal has no payload';
  if (s.seq !== row.seq || s.eventId !== row.eventId || s.hash !== row.hash || s.count !== row.count)
    return 'does not state what its seal signed';
  if (s.createdAt !== row.createdAt) return 'its time is not the one sealed';
  if (row.count !== row.seq) return 'counts another number of events than its position';
  return null;
};
