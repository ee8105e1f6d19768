import type { Core } from '@strapi/strapi';
import { canonicalJson, sha256Hex } from '../utils/canonical-json';
import { PLUGIN_ID } from '../constants';
import type { ConsentConfig } from '../config';

/** The fields of a notice version that a person reads, and therefore what its hash must cover (A9). */
export interface NoticeContent {
  purpose: string;
  language: string;
  version: number;
  title: string;
  body: string;
  dataCategories: string[];
  recipients: string[];
  privacyPolicyUrl: string;
}

/**
 * Notices: the versioned texts behind each purpose. The content hash is SHA-256 over the canonical JSON
 * (see utils/canonical-json) of the notice content plus the controller identity it is shown with, so a
 * receipt's hash proves exactly which words and which controller the person saw.
 */
const notices = ({ strapi }: { strapi: Core.Strapi }) => ({
  canonicalForm(notice: NoticeContent): string {
    const { controller } = strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
    return canonicalJson({
      purpose: notice.purpose,
      language: notice.language,
      version: notice.version,
      title: notice.title,
      body: notice.body,
      dataCategories: notice.dataCategories,
      recipients: notice.recipients,
      privacyPolicyUrl: notice.privacyPolicyUrl,
      controller,
    });
  },

  contentHash(notice: NoticeContent): string {
    return sha256Hex(this.canonicalForm(notice));
  },
});

export default notices;
export type NoticesService = ReturnType<typeof notices>;
