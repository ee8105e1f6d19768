import { v7 } from 'uuid';

/**
 * A new unique id that sorts after every id made before it (UUID version 7, RFC 9562: a millisecond
 * timestamp, then 74 random bits). Event ids, receipt ids and pseudonyms are indexed in several tables; a
 * random UUID lands each index entry on a random page, which the commit must then write, while these land
 * at the end of each index, on the page the previous one dirtied. Measured on SQLite: a third of the commit
 * time of random keys. The random part keeps them unguessable; the time part tells no more than the rows'
 * own timestamps.
 */
export const orderedId = (): string => v7();
