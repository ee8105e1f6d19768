import { errors, validateYupSchema, yup } from '@strapi/utils';
import { CHANNELS } from '../../../shared/contracts/domain';
import {
  missingOptOut,
  RECIPIENT_FILTERS,
  templateBytes,
  type MessageTemplate,
  type RecipientFilter,
} from '../domain/message-rules';
import { NO_UNKNOWN_ROOT, noUnknownMessage, objectBody, slug, oneOf } from './common';

export interface MessageRequest {
  purpose: string;
  channel: 'email';
  recipients?: { email: string }[];
  audience?: string;
  template: MessageTemplate;
}

export interface MessageLimits {
  maxRecipientsPerCall: number;
  maxTemplateBytes: number;
}

/**
 * A 400 naming the field as the messages API does (`path: message`), from the schema here and from the
 * service's checks against the catalogue alike.
 */
export const invalid = (path: string, message: string): never => {
  throw new errors.ValidationError(`${path}: ${message}`, {
    errors: [{ path: path.split('.'), message: `${path}: ${message}` }],
  });
};

const schema = (limits: MessageLimits) =>
  yup
    .object({
      purpose: slug().required(),
      // Any known channel passes the schema: the answer for sms & co. is the clearer "only email" below.
      channel: oneOf(CHANNELS).required(),
      recipients: yup
        .array()
        .of(
          yup
            .object({ email: yup.string().strict().max(254).required() })
            .noUnknown(true, noUnknownMessage)
            .required()
        )
        .min(1)
        .max(
          limits.maxRecipientsPerCall,
          `\${path} has more than messages.maxRecipientsPerCall (${limits.maxRecipientsPerCall}) recipients; send an audience instead, or several calls`
        ),
      audience: slug(),
      template: yup
        .object({
          subject: yup.string().strict().trim().min(1).max(998).required(),
          html: yup.string().strict().min(1).required(),
          text: yup.string().strict().min(1).required(),
        })
        .noUnknown(true, noUnknownMessage)
        .required(),
    })
    .noUnknown(true, NO_UNKNOWN_ROOT);

/**
 * `POST /api/consent/messages`: `{ purpose, channel: "email", recipients: [{ email }] | audience, template:
 * { subject, html, text } }`. Every refusal is a 400 naming the field, before anything is stored.
 */
export const validateMessageRequest = async (body: unknown, limits: MessageLimits): Promise<MessageRequest> => {
  const input = objectBody(body);
  const value = (await validateYupSchema(schema(limits), { strict: true })(input)) as Omit<
    MessageRequest,
    'channel'
  > & { channel: string };
  if (value.channel !== 'email') invalid('channel', `only "email" can be sent by the plugin, not "${value.channel}"`);
  if (!!value.recipients === !!value.audience)
    invalid('recipients', 'give either recipients (a list of { email }) or audience (a purpose key), not both');
  const bytes = templateBytes(value.template);
  if (bytes > limits.maxTemplateBytes)
    invalid('template', `is ${bytes} bytes, over messages.maxTemplateBytes (${limits.maxTemplateBytes})`);
  // D4, E6: no marketing message without its visible way out.
  for (const part of missingOptOut(value.template))
    invalid(`template.${part}`, 'must contain the placeholder {{unsubscribeUrl}} (the opt-out link, D4)');
  return value as MessageRequest;
};

const idSchema = yup.object({
  id: yup
    .string()
    .matches(/^[1-9][0-9]{0,15}$/, '${path} must be a message id')
    .required(),
});
const pageSchema = yup
  .object({
    page: yup.string().matches(/^[1-9][0-9]{0,6}$/, '${path} must be a whole number from 1'),
    pageSize: yup
      .string()
      .matches(/^[1-9][0-9]{0,3}$/, '${path} must be a whole number from 1 to 1000')
      .test('max', '${path} must be at most 1000', (v) => v === undefined || Number(v) <= 1000),
    status: yup.string().oneOf([...RECIPIENT_FILTERS]),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

/** `GET /api/consent/messages/:id?page=&pageSize=&status=`: the recipients in pages of 100 by default. */
export const validateMessageQuery = async (params: unknown, query: unknown) => {
  const { id } = (await validateYupSchema(idSchema)(params ?? {})) as { id: string };
  const q = (await validateYupSchema(pageSchema)(query ?? {})) as {
    page?: string;
    pageSize?: string;
    status?: RecipientFilter;
  };
  return { id: Number(id), page: Number(q.page ?? 1), pageSize: Number(q.pageSize ?? 100), status: q.status };
};
