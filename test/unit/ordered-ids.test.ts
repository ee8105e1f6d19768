/**
 * Ids the plugin makes for rows it writes itself sort by creation time, so index inserts land at the end of
 * their indexes, and they keep the shapes the rest of the system expects: UUIDs (the pseudonym validator,
 * receipts' `receiptId`) and Strapi's cuid2-shaped document ids.
 */
import { orderedDocumentId } from '../../server/src/database/document-id';
import { orderedId } from '../../server/src/database/ordered-id';
import { PSEUDONYM } from '../../server/src/validation/common';

const sorted = (ids: string[]) => [...ids].sort();

describe('ordered ids', () => {
  it('event ids, receipt ids and pseudonyms are UUIDs of version 7, each after the one before', () => {
    const ids = Array.from({ length: 2000 }, () => orderedId());
    expect(ids.every((id) => PSEUDONYM.test(id) && id[14] === '7')).toBe(true);
    expect(sorted(ids)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('document ids have a cuid2 shape (24 lowercase base-36 characters, a letter first) and sort by time', async () => {
    const early = Array.from({ length: 500 }, () => orderedDocumentId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = Array.from({ length: 500 }, () => orderedDocumentId());
    for (const id of [...early, ...late]) expect(id).toMatch(/^[a-z][0-9a-z]{23}$/);
    expect(early.every((a) => late.every((b) => a < b))).toBe(true);
    expect(new Set([...early, ...late]).size).toBe(1000);
  });
});
