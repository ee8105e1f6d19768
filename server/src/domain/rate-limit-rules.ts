import type { TokenCheck } from './tokens';

/**
 * WHICH PUBLIC REQUESTS SPEND A CLIENT'S RATE-LIMIT BUDGET
 *
 * The per-client (IP) limit exists against guessing and flooding. It must never cost a person their way
 * out: a withdrawal must be as easy as the consent was (Art. 7(3), D2), it applies at once (D1), and an
 * RFC 8058 one-click POST is answered 2xx (E3). Mailbox providers send those POSTs for millions of
 * recipients from a handful of addresses, and offices sit behind one NAT address; a 429 there is a lost
 * unsubscribe (what CNIL fined in Performeclic, N8). So:
 *
 *   every-request  each request counts (submissions, a confirmation mail sent again): they cost the
 *                  site something (a ledger write, a mail to a third party) and carry nothing that proves
 *                  the sender may act.
 *   failed-links   routes whose `:token` is a signed link (unsubscribe, preference centre, confirm). A
 *                  token whose signature holds is the person's own authority and is never counted or
 *                  refused: only a token that fails (made up, changed, for another use, expired, or signed
 *                  but leading nowhere: a deleted request, an erased person) spends the budget, and once it
 *                  is spent only such failures are refused. Checking the HMAC first is cheap, and nobody
 *                  can make up a valid token without the secret, so guessing stays throttled.
 *   never          `POST /withdrawals`: no per-client count at all, because a shared address must never
 *                  refuse a real person's withdrawal. It is limited per person instead (see
 *                  `WITHDRAWAL_LIMIT`).
 *
 * Pure: the middleware and services apply it.
 */
export type ClientLimit = 'every-request' | 'failed-links' | 'never';

/** What the guard does with a request before the route runs. */
export type ClientCharge =
  /** count it, and refuse it (429) once the client's budget is spent */
  | 'count'
  /** neither count nor refuse; `recheck` says whether the route's answer may still make it a failure */
  | { exempt: true; recheck: boolean };

/** Before the route runs: `check` is the link token's signature check on `failed-links` routes. */
export const chargeBefore = (
  limit: ClientLimit,
  check?: Pick<TokenCheck, 'ok'> & { expired?: boolean }
): ClientCharge => {
  if (limit === 'never') return { exempt: true, recheck: false };
  if (limit === 'every-request') return 'count';
  // An expired link is a failed check, even though we signed it: it no longer acts for anyone.
  if (!check?.ok || check.expired) return 'count';
  return { exempt: true, recheck: true };
};

/**
 * After the route ran, for a link whose signature held: 410 means the link led nowhere (the confirmation
 * request was deleted, the person erased), a failed check found by the route, so it counts. The answer
 * itself stands: the link was ours, and the 410 page tells the person what to do.
 */
export const failedAfter = (status: number | undefined) => status === 410;

/**
 * `POST /withdrawals` is limited per identifier (keyed hash of each address, number or id given),
 * `perIdentifier` per window, in a bucket of its own: reaching the submission limit for an address never blocks leaving.
 * Over the limit the answer is a 429, never a 202 that records nothing: a dropped withdrawal reported as
 * accepted is the one outcome the law does not allow (D1), while a 429 is seen by the client, which can
 * retry. Only someone sending the same person's withdrawal again and again meets it (a repeat changes
 * nothing: what is withdrawn stays withdrawn). It counts known and unknown identifiers alike, before the
 * person is looked up, so neither the 202 nor the 429 tells whether someone is on file.
 */
export const WITHDRAWAL_LIMIT = { scope: 'withdrawal' } as const;
