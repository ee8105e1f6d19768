/**
 * Reading raw database rows the same way on every engine: drivers disagree on dates (SQLite gives epoch
 * milliseconds, PostgreSQL and MySQL Date objects), big integers (PostgreSQL gives `bigint` as text) and
 * JSON columns (MySQL and SQLite give text).
 */

/** ISO 8601 UTC, or null. */
export const iso = (d: unknown): string | null =>
  d == null ? null : new Date(d as string | number | Date).toISOString();

/** A number, or null. */
export const num = (v: unknown): number | null => (v == null ? null : Number(v));

/** A parsed JSON column, or null. */
export const json = <T = Record<string, unknown>>(v: unknown): T | null =>
  v == null ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as T);
