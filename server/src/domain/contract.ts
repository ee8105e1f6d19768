/**
 * A contract is current from its start until its end (exclusive); one without an end runs until one is
 * recorded. The relationships service's query applies the same rule in SQL; this is its statement.
 */
export const isCurrentContract = (contract: { startedAt: Date; endedAt: Date | null }, now: Date): boolean =>
  contract.startedAt.getTime() <= now.getTime() && (!contract.endedAt || contract.endedAt.getTime() > now.getTime());
