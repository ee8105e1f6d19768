import { TextDecoder } from 'node:util';
import { errors, validateYupSchema, yup } from '@strapi/utils';
import { UnsupportedMediaTypeError } from '../errors';
import type { SuppressionChannel } from '../../../shared/contracts/domain';
import { NO_UNKNOWN_ROOT, slug } from './common';

/** The channels an opposition list can bar: Bloctel is telephone; other lists are SMS, email or post. */
export const OPPOSITION_LIST_CHANNELS = ['phone', 'sms', 'email', 'postal', 'all'] as const;
export const OPPOSITION_LIST_TYPES = ['text/plain', 'text/csv'] as const;

const querySchema = yup
  .object({
    channel: yup.string().oneOf([...OPPOSITION_LIST_CHANNELS]),
    source: slug().required(),
    column: yup.string().min(1).max(64),
    // `replace`: the file is the source's whole list; its entries not in the file go (once all was read).
    mode: yup.string().oneOf(['add', 'replace']),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validateQuery = validateYupSchema(querySchema);

const unsupported = (path: string, message: string) =>
  new UnsupportedMediaTypeError(message, { errors: [{ path: [path], message }] });

export interface ImportRequest {
  query: unknown;
  /** The Content-Type the client sent (the raw-body middleware moved it aside). */
  contentType: string;
  contentEncoding: string;
  contentLength: string;
}

/** `POST /consent/opposition-lists/import`: the query, and a body that can be read as a list. */
export const validateOppositionListImport = async (request: ImportRequest) => {
  const query = (await validateQuery(request.query ?? {})) as {
    channel?: SuppressionChannel;
    source: string;
    column?: string;
    mode?: 'add' | 'replace';
  };

  const [mediaType, ...params] = request.contentType.split(';').map((p) => p.trim());
  if (!(OPPOSITION_LIST_TYPES as readonly string[]).includes(mediaType.toLowerCase())) {
    throw unsupported(
      'content-type',
      `Content-Type "${mediaType}" is not accepted: send the list as text/plain or text/csv, one identifier per line or a CSV column`
    );
  }
  const charset = params
    .map((p) => p.split('='))
    .find(([name]) => name.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"(.*)"$/, '$1');

  if (charset) {
    try {
      new TextDecoder(charset);
    } catch {
      throw unsupported(
        'content-type',
        `The charset "${charset}" is not supported: send the list in UTF-8 (or name its charset)`
      );
    }
  }

  const encoding = request.contentEncoding.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw unsupported('content-encoding', `Content-Encoding "${encoding}" is not accepted: send the list uncompressed`);
  }

  if (request.contentLength.trim() === '0') {
    const message = 'The body is empty: send the list as text/plain or text/csv, one identifier per line';
    throw new errors.ValidationError(message, { errors: [{ path: ['body'], message }] });
  }

  // Validation is strict (no casting), so yup's defaults would not apply: Bloctel is the common case.
  return { ...query, channel: query.channel ?? 'phone', mode: query.mode ?? 'add', charset: charset || undefined };
};
