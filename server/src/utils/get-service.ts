import type { FormsService } from '../services/forms';
import type { LedgerService } from '../services/ledger';
import type { NoticesService } from '../services/notices';
import type { PurposesService } from '../services/purposes';
import type { ReceiptsService } from '../services/receipts';
import type { SecretsService } from '../services/secrets';
import type { SettingsService } from '../services/settings';
import { PLUGIN_ID } from '../constants';

/** The plugin's services by name, so callers get typed results (the i18n plugin's pattern). */
export interface Services {
  forms: FormsService;
  ledger: LedgerService;
  notices: NoticesService;
  purposes: PurposesService;
  receipts: ReceiptsService;
  secrets: SecretsService;
  settings: SettingsService;
}

export const getService = <T extends keyof Services>(name: T): Services[T] =>
  strapi.plugin(PLUGIN_ID).service(name) as Services[T];
