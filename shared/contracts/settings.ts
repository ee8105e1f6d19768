import type { IpStorage, Jurisdiction } from './domain';

/** `GET /consent/settings` (admin, action `plugin::consent.settings.read`). */
export declare namespace GetSettings {
  export interface Request {
    query: Record<string, never>;
  }
  export interface Response {
    data: {
      controller: { name: string; address: string; contact: string };
      publicUrl: string;
      jurisdiction: Jurisdiction;
      ipStorage: IpStorage;
      doubleOptIn: { tokenTtlSeconds: number; pendingTtlDays: number; resendAfterSeconds: number };
      rateLimit: false | { max: number; windowSeconds: number };
      email: { from: string | null; replyTo: string | null; templateOverrides: string[] };
      /** Where the secret comes from; the secret itself never leaves the server. */
      secretSource: 'config' | 'generated';
      database: { client: string; forceMigration: boolean };
      /** Problems a site owner should fix before going live (empty when none). */
      warnings: string[];
    };
  }
}
