/**
 * When a failed webhook delivery is tried again (D6, D7). Doubling from `baseDelayMs` spreads the retries
 * of a receiver that is down for minutes or hours without hammering it; `maxDelayMs` caps the gap so a
 * receiver back after a long outage still hears of a withdrawal well within D6's 48 hours.
 */
export interface BackoffPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The wait before attempt `attempts + 1`, after `attempts` (≥ 1) failed ones. */
export const retryDelayMs = (attempts: number, policy: Pick<BackoffPolicy, 'baseDelayMs' | 'maxDelayMs'>): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));

/** What happens after a failed attempt: tried again at `at`, or given up (left for an admin to retry). */
export const afterFailure = (
  attempts: number,
  now: Date,
  policy: BackoffPolicy
): { status: 'pending'; at: Date } | { status: 'failed' } =>
  attempts >= policy.maxAttempts
    ? { status: 'failed' }
    : { status: 'pending', at: new Date(now.getTime() + retryDelayMs(attempts, policy)) };

/** The longest a delivery can keep failing before it is given up: what D6's 48 hours must exceed. */
export const retrySpanMs = (policy: BackoffPolicy): number => {
  let total = 0;
  for (let attempts = 1; attempts < policy.maxAttempts; attempts++) total += retryDelayMs(attempts, policy);
  return total;
};
