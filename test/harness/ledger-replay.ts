import type { Core } from '@strapi/strapi';
import { TABLE } from '../../server/src/constants';
import type { TestStrapi } from './strapi';

/**
 * consent_states must always equal a replay of the ledger through nextState (spec 3). Asserts it with the
 * plugin's own check (`ledger.replay`, also `POST /consent/ledger/replay`): for these people, or for the
 * whole ledger. A failure lists the drifted keys with both sides.
 */
export const expectStatesEqualReplay = async (strapi: Core.Strapi, ...subjects: string[]) => {
  const result = await strapi
    .plugin('consent')
    .service('ledger')
    .replay(subjects.length ? { subjects } : {});
  expect(result.mismatches).toEqual([]);
  expect(result.ok).toBe(true);
};

/**
 * A test file's last step: the whole ledger replays to its states, then Strapi stops (even when the
 * replay fails, so the file reports the drift instead of hanging).
 */
export const replayThenStop = async (app: TestStrapi | undefined) => {
  if (!app) return;
  try {
    await expectStatesEqualReplay(app.strapi);
  } finally {
    await app.stop();
  }
};

/** A person's states for one purpose, by channel. */
export const statesByChannel = async (
  strapi: Core.Strapi,
  subject: string,
  purpose: string
): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await strapi.db.connection(TABLE.state).where({ subject, purpose })).map(
      (r: { channel: string; state: string }) => [r.channel, r.state]
    )
  );

/** The fields a 400 names (`details.errors[].path`, joined with dots). */
export const errorPaths = (res: { body: { error: { details: { errors: { path: string[] }[] } } } }) =>
  res.body.error.details.errors.map((e) => e.path.join('.'));
