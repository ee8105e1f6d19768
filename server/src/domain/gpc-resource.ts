/** The GPC support resource, served at `/.well-known/gpc.json` (GPC spec, "GPC Support Resource"). */
export interface GpcResource {
  gpc: true;
  /** UTC day (`YYYY-MM-DD`) the site's handling of the signal last changed. */
  lastUpdate: string;
}

/**
 * F4: a site may publish that it honours Global Privacy Control. The plugin honours it per purpose
 * ("honour GPC"), so the resource exists while at least one active purpose does, and says nothing
 * otherwise (the route answers 404, as for a site that never claimed it). `lastUpdate` is the day the
 * newest of those purposes was last saved: a date the operator's own edits set, unlike a plugin release
 * date, which says nothing about this site.
 */
export const gpcResource = (honouring: readonly { updatedAt: string | Date }[]): GpcResource | null => {
  if (honouring.length === 0) return null;
  const latest = Math.max(...honouring.map((p) => new Date(p.updatedAt).getTime()));
  return { gpc: true, lastUpdate: new Date(latest).toISOString().slice(0, 10) };
};
