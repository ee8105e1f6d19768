import type { FormsService } from '../services/forms';
import type { LedgerService } from '../services/ledger';
import type { NoticesService } from '../services/notices';
import type { PurposesService } from '../services/purposes';
import type { ReceiptsService } from '../services/receipts';
import type { SecretsService } from '../services/secrets';
import type { SettingsService } from '../services/settings';
import type { CaptureService } from '../services/capture';
import type { CatalogueService } from '../services/catalogue';
import type { EligibilityService } from '../services/eligibility';
import type { RateLimitsService } from '../services/rate-limits';
import type { SubjectsService } from '../services/subjects';
import type { WebhooksService } from '../services/webhooks';
import type { WebhookOutboxService } from '../services/webhook-outbox';
import type { ConfirmationsService } from '../services/confirmations';
import type { SuppressionService } from '../services/suppression';
import type { TokensService } from '../services/tokens';
import type { LinksService } from '../services/links';
import type { OptOutService } from '../services/opt-out';
import type { PreferencesService } from '../services/preferences';
import type { RightsService } from '../services/rights';
import type { ImportsService } from '../services/imports';
import type { AudiencesService } from '../services/audiences';
import type { RetentionService } from '../services/retention';
import type { RecordsService } from '../services/records';
import type { RelationshipsService } from '../services/relationships';
import type { ContactsService } from '../services/contacts';
import type { RepermissionService } from '../services/repermission';
import type { ReportsService } from '../services/reports';
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
  capture: CaptureService;
  catalogue: CatalogueService;
  eligibility: EligibilityService;
  'rate-limits': RateLimitsService;
  subjects: SubjectsService;
  webhooks: WebhooksService;
  'webhook-outbox': WebhookOutboxService;
  confirmations: ConfirmationsService;
  suppression: SuppressionService;
  tokens: TokensService;
  links: LinksService;
  'opt-out': OptOutService;
  preferences: PreferencesService;
  rights: RightsService;
  imports: ImportsService;
  audiences: AudiencesService;
  retention: RetentionService;
  records: RecordsService;
  relationships: RelationshipsService;
  contacts: ContactsService;
  repermission: RepermissionService;
  reports: ReportsService;
}

export const getService = <T extends keyof Services>(name: T): Services[T] =>
  strapi.plugin(PLUGIN_ID).service(name) as Services[T];
