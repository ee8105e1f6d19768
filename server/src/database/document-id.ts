import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';

const LENGTH = 24;

// Random bytes drawn 4 kB at a time: one randomBytes() call per id (two, with a BigInt each) cost more than
// the rest of the id (about 14 µs an id, eight ids a submission).
const POOL = 4096;
let pool = Buffer.alloc(0);
let next = POOL;

const randomByte = (): number => {
  if (next >= pool.length) {
    pool = randomBytes(POOL);
    next = 0;
  }
  return pool[next++];
};

const RANDOM_LENGTH = LENGTH - 10;

/**
 * A document id for a row the plugin writes with knex (the query engine gives rows one through the model's
 * `documentId` default, a cuid2, and reads every row back; these paths skip it). It has a cuid2's shape, 24
 * lowercase base-36 characters starting with a letter, so Strapi treats it like any other; unlike a cuid2
 * it starts with the time, so each insert lands at the end of the table's `documents_idx` instead of on a
 * random page (see ordered-id.ts). The rest is 14 random base-36 digits (about 72 bits).
 */
export const orderedDocumentId = (): string => {
  const time = Date.now().toString(36).padStart(9, '0');
  let random = '';
  while (random.length < RANDOM_LENGTH) {
    // 252 = 7 × 36: bytes above it are dropped, so every base-36 digit is equally likely.
    const byte = randomByte();
    if (byte < 252) random += (byte % 36).toString(36);
  }
  return `d${time}${random}`;
};

/** The document id maker for `uid`'s rows: ordered ids, or none for a model without document ids. */
export const documentIds = (strapi: Core.Strapi, uid: string): (() => string | null) => {
  let create: (() => string | null) | undefined;
  return () => {
    // Looked up on first use: services can be created before the database's metadata exists.
    if (!create) {
      const model = strapi.db.metadata.get(uid) as { attributes: Record<string, { default?: unknown }> };
      create = model.attributes.documentId ? orderedDocumentId : () => null;
    }
    return create();
  };
};
