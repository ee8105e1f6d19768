/**
 * The little of `pg` the test harness uses (a fresh schema per run). `pg` ships no types of its own and is
 * here only as Strapi's PostgreSQL driver, so a full `@types/pg` is not worth a dependency.
 */
declare module 'pg' {
  export class Client {
    constructor(config: Record<string, unknown>);
    connect(): Promise<void>;
    query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
    end(): Promise<void>;
  }
  const pg: { Client: typeof Client };
  export default pg;
}
