/** The GPC support resource (F4): domain/gpc-resource.ts. */
import { gpcResource } from '../../server/src/domain/gpc-resource';

describe('gpcResource', () => {
  it('F4: no purpose honouring GPC → no resource', () => {
    expect(gpcResource([])).toBeNull();
  });

  it('F4: gpc true, lastUpdate the UTC day the newest honouring purpose was saved', () => {
    expect(
      gpcResource([
        { updatedAt: '2026-03-01T10:00:00.000Z' },
        { updatedAt: new Date('2026-04-02T23:59:59.999Z') },
        { updatedAt: '2025-12-31T00:00:00.000Z' },
      ])
    ).toEqual({ gpc: true, lastUpdate: '2026-04-02' });
  });
});
