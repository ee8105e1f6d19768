import type { Core } from '@strapi/strapi';
import { TABLE } from '../../server/src/constants';
import { nextState, type StateRow } from '../../server/src/domain/consent-state';

/**
 * consent_states must always equal a replay of the ledger through nextState (spec 3). Asserts it for one
 * person: the same keys, and per key the same state, last event and time of change.
 */
export const expectStatesEqualReplay = async (strapi: Core.Strapi, subject: string) => {
  const knex = strapi.db.connection;
  const events = await knex(TABLE.event).select('*').where({ subject }).orderBy('seq');
  const replay = new Map<string, StateRow>();
  for (const e of events) {
    const key = `${e.purpose}|${e.channel}`;
    const next = nextState(replay.get(key) ?? null, {
      seq: Number(e.seq),
      action: e.action,
      state: e.state,
      legalBasis: e.legal_basis,
      noticeId: e.notice_id,
      noticeVersion: e.notice_version,
      occurredAt: new Date(e.occurred_at),
    });
    // An event that moves no state (contacted, informed) leaves no row where there was none.
    if (next.state !== 'none' || replay.has(key)) replay.set(key, next);
  }
  const stored = await knex(TABLE.state).select('*').where({ subject });
  expect(stored.map((r: Record<string, unknown>) => `${r.purpose}|${r.channel}`).sort()).toEqual([...replay.keys()].sort());
  for (const row of stored) {
    const want = replay.get(`${row.purpose}|${row.channel}`)!;
    expect({ state: row.state, seq: Number(row.last_event_seq), changedAt: new Date(row.changed_at).getTime() }).toEqual({
      state: want.state,
      seq: want.lastEventSeq,
      changedAt: want.changedAt.getTime(),
    });
  }
};

/** A person's states for one purpose, by channel. */
export const statesByChannel = async (strapi: Core.Strapi, subject: string, purpose: string): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await strapi.db.connection(TABLE.state).where({ subject, purpose })).map((r: { channel: string; state: string }) => [r.channel, r.state])
  );

/** The fields a 400 names (`details.errors[].path`, joined with dots). */
export const errorPaths = (res: { body: { error: { details: { errors: { path: string[] }[] } } } }) =>
  res.body.error.details.errors.map((e) => e.path.join('.'));
