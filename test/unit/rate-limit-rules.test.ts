/**
 * Which public requests spend a client's (IP) budget (E3, D1, D2, N8): a valid signed link never does,
 * a failed token check does, a withdrawal never does.
 */
import { chargeBefore, failedAfter } from '../../server/src/domain/rate-limit-rules';

describe('chargeBefore', () => {
  it('E3, N8: a link whose signature holds is exempt, and checked again after the route ran', () => {
    expect(chargeBefore('failed-links', { ok: true, expired: false })).toEqual({ exempt: true, recheck: true });
  });

  it('E2: a made-up, changed, wrong-use or expired token counts; so does a link route without a token', () => {
    expect(chargeBefore('failed-links', { ok: false })).toBe('count');
    expect(chargeBefore('failed-links', { ok: true, expired: true })).toBe('count');
    expect(chargeBefore('failed-links', undefined)).toBe('count');
  });

  it('D2, N8: a withdrawal is never counted per client; a submission always is', () => {
    expect(chargeBefore('never')).toEqual({ exempt: true, recheck: false });
    expect(chargeBefore('never', { ok: false })).toEqual({ exempt: true, recheck: false });
    expect(chargeBefore('every-request', { ok: true, expired: false })).toBe('count');
  });
});

describe('failedAfter', () => {
  it('E2: only a link that led nowhere (410) is a failure found by the route', () => {
    expect(failedAfter(410)).toBe(true);
    for (const status of [200, 202, 400, 404, 413, 500, undefined]) expect(failedAfter(status)).toBe(false);
  });
});
