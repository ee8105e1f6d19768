import type { Core } from '@strapi/strapi';
import type { GetSettings } from '../../../shared/contracts/settings';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { getService } from '../utils/get-service';

/** The effective plugin configuration as the admin and operators see it, with what needs attention. */
const settings = ({ strapi }: { strapi: Core.Strapi }) => ({
  config(): ConsentConfig {
    return strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
  },

  publicUrl(): string {
    const configured = this.config().publicUrl ?? strapi.config.get<string>('server.url');
    if (configured) return configured.replace(/\/+$/, '');
    const host = strapi.config.get<string>('server.host', 'localhost');
    const port = strapi.config.get<number>('server.port', 1337);
    return `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  },

  forceMigration(): boolean {
    return strapi.config.get<boolean>('database.settings.forceMigration', true) !== false;
  },

  warnings(): string[] {
    const config = this.config();
    const out: string[] = [];
    if (this.forceMigration()) {
      out.push(
        'database.settings.forceMigration is not false: disabling or removing the plugin would drop the consent ledger.'
      );
    }
    if (!config.controller.name || !config.controller.contact) {
      out.push(
        'controller.name and controller.contact are empty: notices and receipts must identify the controller (A7).'
      );
    }
    if (!config.publicUrl) out.push('publicUrl is not set: links in mails fall back to the server URL.');
    if (getService('secrets').source() !== 'config') out.push('secret is generated: set CONSENT_SECRET.');
    return out;
  },

  effective(): GetSettings.Response['data'] {
    const config = this.config();
    return {
      controller: config.controller,
      publicUrl: this.publicUrl(),
      jurisdiction: config.jurisdiction,
      ipStorage: config.ipStorage,
      doubleOptIn: config.doubleOptIn,
      rateLimit: config.rateLimit,
      email: {
        from: config.email.from ?? null,
        replyTo: config.email.replyTo ?? null,
        templateOverrides: Object.keys(config.email.templates),
      },
      secretSource: getService('secrets').source() ?? 'generated',
      database: { client: strapi.db.dialect.client as string, forceMigration: this.forceMigration() },
      warnings: this.warnings(),
    };
  },
});

export default settings;
export type SettingsService = ReturnType<typeof settings>;
