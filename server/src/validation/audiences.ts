import { validateYupSchema, yup } from '@strapi/utils';
import { AUDIENCE_FORMATS, type AudienceFormat } from '../../../shared/contracts/audiences';
import { CHANNELS, JURISDICTIONS, type Channel, type Jurisdiction } from '../../../shared/contracts/domain';
import { NO_UNKNOWN_ROOT, slug } from './common';

const paramsSchema = yup.object({ purpose: slug().required() });

const querySchema = yup
  .object({
    channel: yup.string().oneOf([...CHANNELS]),
    format: yup.string().oneOf([...AUDIENCE_FORMATS]),
    // Overrides the people's own and the site's jurisdiction for the whole audience (contact-rules.ts).
    jurisdiction: yup.string().oneOf([...JURISDICTIONS]),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validateParams = validateYupSchema(paramsSchema);
const validateQuery = validateYupSchema(querySchema);

export interface AudienceRequest {
  purpose: string;
  channel?: Channel;
  format: AudienceFormat;
  jurisdiction?: Jurisdiction;
}

/** `GET /api/consent/audiences/:purpose`: the purpose key, and `channel`, `format`, `jurisdiction` only. */
export const validateAudienceRequest = async (params: unknown, query: unknown): Promise<AudienceRequest> => {
  const { purpose } = (await validateParams(params ?? {})) as { purpose: string };
  const q = (await validateQuery(query ?? {})) as {
    channel?: Channel;
    format?: AudienceFormat;
    jurisdiction?: Jurisdiction;
  };
  return { purpose, channel: q.channel, format: q.format ?? 'ndjson', jurisdiction: q.jurisdiction };
};
