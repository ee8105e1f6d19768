import { AUDIENCES, CHANNELS, JURISDICTIONS, LEGAL_BASES, STATES } from '../../../shared/contracts/domain';
import { AUDIENCE_FORMATS } from '../../../shared/contracts/audiences';
import { BULK_ELIGIBILITY_MAX } from '../../../shared/contracts/eligibility';
import { PHONE_VERIFICATION_METHODS } from '../../../shared/contracts/phone-verifications';
import { IMPORT_MAX_EVENTS } from '../../../shared/contracts/subjects';
import { CONTACT_KINDS } from '../domain/retention-rules';
import { MAX_CONTACTS } from '../validation/contacts';

/**
 * The OpenAPI 3.1 description of the public and server-to-server routes under `/api/consent` (spec 4.1,
 * 4.2). It is built from the same vocabularies the server validates with, so an enum cannot drift; the
 * integration tests validate real answers against it (test/integration/openapi.test.ts) and a unit test
 * checks that every route of routes/content-api.ts is described. `npm run build` writes it to
 * `dist/openapi.json` (the package's `./openapi.json`); with `@strapi/plugin-documentation` installed the
 * routes appear in its Swagger UI (register.ts).
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (more: Schema = {}): Schema => ({ type: 'string', ...more });
const bool: Schema = { type: 'boolean' };
const int = (more: Schema = {}): Schema => ({ type: 'integer', ...more });
const nullable = (schema: Schema): Schema => ({ oneOf: [schema, { type: 'null' }] });
const arrayOf = (items: Schema, more: Schema = {}): Schema => ({ type: 'array', items, ...more });
const object = (
  properties: Record<string, Schema>,
  required: string[] = Object.keys(properties),
  more: Schema = {}
): Schema => ({
  type: 'object',
  properties,
  required,
  ...more,
});
const enumOf = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
const data = (schema: Schema): Schema => object({ data: schema });

const json = (schema: Schema, description: string) => ({ description, content: { 'application/json': { schema } } });
const html = (description: string) => ({ description, content: { 'text/html': { schema: str() } } });
const error = (description: string) => json(ref('Error'), description);
const errors = (...statuses: (400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429)[]) => {
  const text: Record<number, string> = {
    400: 'Invalid input: `error.details.errors[]` names each field (`path`); nothing was written',
    401: 'No API token or users-permissions JWT',
    403: 'The token or role lacks the action, or the origin is not allowed',
    404: 'Not found',
    409: 'Conflict (e.g. `NoticeOutdated`: the displayed notice is not the current version)',
    410: 'The link has expired',
    413: "The body is over the route's size limit",
    415: 'Unsupported content type',
    429: 'Too many requests (`Retry-After` says when to try again)',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), error(text[s])]));
};

const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: str(),
});
const queryParam = (name: string, schema: Schema, description: string, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});
const token = pathParam('token', "The signed link from a mail (or from a submission's answer)");
const locale = queryParam(
  'locale',
  str({ examples: ['de'] }),
  'The language of the page or text (en, de, fr, or any the notices exist in)'
);
const jsonBody = (schema: Schema, required = true) => ({ required, content: { 'application/json': { schema } } });
/** A hosted page's answer: HTML to browsers (`Accept: text/html`), `{ data }` JSON otherwise. */
const pageOrJson = (description: string, schema: Schema) => ({
  description,
  content: { 'text/html': { schema: str() }, 'application/json': { schema: data(schema) } },
});
const linkErrors = errors(400, 404, 410, 429);
/** A request answered by a mailed link: GET shows the question and changes nothing, POST answers it. */
const linkAnswer = (question: string, answer: string) => ({
  get: publicOp(`${question} (changes nothing: mail scanners follow GET links)`, {
    parameters: [token, locale],
    responses: {
      200: pageOrJson(
        'HTML for browsers, JSON otherwise',
        object({ confirmed: bool, purposes: arrayOf(str(), { description: "The purposes' names" }), language: str() })
      ),
      ...linkErrors,
    },
  }),
  post: publicOp(`${answer} (idempotent)`, {
    parameters: [token],
    responses: {
      200: pageOrJson(
        'Confirmed, or already confirmed',
        object({
          status: enumOf(['confirmed', 'already-confirmed']),
          states: { type: 'object', additionalProperties: ref('State') },
        })
      ),
      ...linkErrors,
    },
  }),
});

const subjectInput = object(
  {
    email: str({ format: 'email' }),
    phone: str({ description: 'E.164 or national format' }),
    externalId: str(),
    audience: enumOf(AUDIENCES.filter((a) => a !== 'any')),
    jurisdiction: enumOf(JURISDICTIONS),
  },
  []
);
const subjectRef: Schema = {
  oneOf: [
    object({ email: str() }),
    object({ phone: str() }),
    object({ subject: str({ description: 'The pseudonym' }) }),
  ],
};
const eligibilityQuestion = {
  purpose: str(),
  channel: enumOf(CHANNELS),
  jurisdiction: enumOf(JURISDICTIONS),
};

const schemas: Record<string, Schema> = {
  Error: object({
    data: { type: 'null' },
    error: object(
      {
        status: int(),
        name: str({ examples: ['ValidationError', 'NotFoundError', 'ForbiddenError', 'NoticeOutdated'] }),
        message: str(),
        details: { type: 'object' },
      },
      ['status', 'name', 'message']
    ),
  }),
  State: enumOf(STATES),
  Channel: enumOf(CHANNELS),
  LegalBasis: enumOf(LEGAL_BASES),
  PublicNotice: object(
    {
      id: int(),
      version: int(),
      hash: str({ pattern: '^[0-9a-f]{64}$' }),
      locale: str(),
      title: str(),
      body: str(),
      withdrawal: str(),
      dataCategories: arrayOf(str()),
      recipients: arrayOf(str()),
      privacyPolicyUrl: str(),
    },
    ['id', 'version', 'hash', 'locale', 'title', 'body']
  ),
  PublicPurpose: object(
    {
      key: str(),
      name: str(),
      description: str(),
      legalBasis: ref('LegalBasis'),
      mechanism: enumOf(['opt-in', 'opt-out', 'none']),
      channels: arrayOf(ref('Channel')),
      boxes: arrayOf(object({ channel: ref('Channel'), label: str() })),
      minimumAge: nullable(int()),
      defaultChecked: { const: false, description: 'A consent box is never pre-ticked (A2)' },
      notice: ref('PublicNotice'),
      localeFallback: bool,
    },
    ['key', 'name', 'legalBasis', 'mechanism', 'channels', 'defaultChecked', 'notice']
  ),
  PublicForm: object(
    {
      key: str(),
      name: str(),
      locale: str(),
      doubleOptIn: bool,
      privacyPolicyUrl: nullable(str()),
      controller: object({ name: str(), address: str(), contact: str() }),
      purposes: arrayOf(ref('PublicPurpose')),
      ageQuestion: {
        ...object({ threshold: int({ minimum: 13, maximum: 16 }), country: nullable(str()) }),
        description:
          'On a form offered to children (G1): ask for `age` or `birthYear` before the choices, and below `threshold` for `parentEmail`',
      },
    },
    ['key', 'name', 'locale', 'doubleOptIn', 'purposes']
  ),
  Receipt: {
    type: 'object',
    description:
      'A consent receipt (ISO/IEC TS 27560, Kantara 1.1 fields; docs/receipts.md) and `jws`, the same object signed (EdDSA)',
    required: ['receiptId', 'piiPrincipalId', 'purposes', 'events', 'jws'],
    properties: {
      version: str(),
      receiptId: str(),
      piiPrincipalId: str(),
      jurisdiction: enumOf(JURISDICTIONS),
      language: str(),
      purposes: arrayOf(
        object({ purpose: str(), state: ref('State'), decision: str() }, ['purpose', 'state', 'decision'])
      ),
      events: arrayOf(str()),
      jws: str({ pattern: '^[\\w-]+\\.[\\w-]+\\.[\\w-]+$' }),
    },
  },
  Eligibility: object({
    eligible: bool,
    state: ref('State'),
    basis: ref('LegalBasis'),
    reasons: arrayOf(str(), { description: 'Stable reason codes (docs/eligibility.md)' }),
  }),
  MessageLinks: object({
    listUnsubscribe: str({
      description: '`List-Unsubscribe`: one HTTPS URI, then a mailto where configured (RFC 2369, 8058)',
    }),
    listUnsubscribePost: { const: 'List-Unsubscribe=One-Click' },
    unsubscribeUrl: str({ description: 'The same one-click URL, for a visible link in the message (E6)' }),
    preferencesUrl: str({ description: 'The preference centre (D5)' }),
  }),
  PreferenceView: object({
    language: str(),
    addresses: arrayOf(str(), { description: 'Whose preferences these are, partly masked (`a***@example.com`)' }),
    purposes: arrayOf({
      allOf: [
        ref('PublicPurpose'),
        object({ states: { type: 'object', propertyNames: ref('Channel'), additionalProperties: ref('State') } }),
      ],
    }),
  }),
};

const tags = {
  public: 'Public (no Strapi auth: validation, signed links, origins, rate limits)',
  server: 'Server-to-server (API token or users-permissions JWT)',
};
const publicOp = (summary: string, more: Schema) => ({ tags: [tags.public], summary, security: [], ...more });
const serverOp = (summary: string, more: Schema) => ({
  tags: [tags.server],
  summary,
  security: [{ bearerAuth: [] }],
  ...more,
});

const paths: Record<string, Record<string, Schema>> = {
  '/consent/jwks.json': {
    get: publicOp('The public keys (JWK set, Ed25519) that sign receipts', {
      responses: {
        200: {
          description: 'The JWK set (RFC 7517)',
          content: {
            'application/jwk-set+json': {
              schema: object({
                keys: arrayOf(object({ kty: str(), crv: str(), x: str(), kid: str() }, ['kty', 'kid'])),
              }),
            },
          },
        },
      },
    }),
  },
  '/consent/forms/{key}': {
    get: publicOp('The form definition for rendering', {
      parameters: [pathParam('key', 'The form key'), locale],
      responses: {
        200: json(data(ref('PublicForm')), 'The form, its purposes and their current notices'),
        ...errors(400, 404, 429),
      },
    }),
  },
  '/consent/submissions': {
    post: publicOp('A form submission', {
      description:
        'JSON, or urlencoded/multipart from an HTML form without JavaScript (then answered by a redirect or a page). ' +
        'An unticked box is recorded as `refused` only when the person has no consent for that purpose.',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: object(
              {
                form: str(),
                locale: str(),
                subject: subjectInput,
                choices: {
                  type: 'object',
                  additionalProperties: { oneOf: [bool, { type: 'object', additionalProperties: bool }] },
                },
                notices: { type: 'object', additionalProperties: object({ version: int(), hash: str() }) },
                context: object({ url: str() }, []),
                fields: { type: 'object' },
                age: int({
                  minimum: 0,
                  description: 'On a form offered to children (`ageQuestion`): the age, or `birthYear`',
                }),
                birthYear: int(),
                parentEmail: str({
                  format: 'email',
                  description: 'Below the threshold: the holder of parental responsibility, who confirms (G2)',
                }),
              },
              ['form', 'subject']
            ),
          },
        },
      },
      responses: {
        201: json(
          data(object({ receipt: ref('Receipt'), states: { type: 'object', additionalProperties: ref('State') } })),
          'Recorded'
        ),
        303: { description: "HTML form: redirect to the form's success page" },
        ...errors(400, 403, 404, 409, 413, 415, 429),
      },
    }),
  },
  '/consent/confirm/{token}': linkAnswer('The double opt-in page', 'Confirms a double opt-in'),
  '/consent/confirm/{token}/resend': {
    post: publicOp('Sends the confirmation mail again', {
      parameters: [token],
      responses: {
        202: pageOrJson('Accepted', object({ status: { const: 'accepted' } })),
        ...linkErrors,
      },
    }),
  },
  '/consent/parental-consent/{token}': linkAnswer(
    'The page mailed to a parent of a child below the age of digital consent (G2, G4)',
    'The parent consents for the child'
  ),
  '/consent/renew/{token}': {
    get: publicOp('The re-permission page (I4; changes nothing)', {
      parameters: [token, locale],
      responses: {
        200: pageOrJson(
          'HTML for browsers, JSON otherwise',
          object({ language: str(), purposes: arrayOf(str()), renewable: bool })
        ),
        ...linkErrors,
      },
    }),
    post: publicOp('Keeps the person subscribed: an act of their own (I4)', {
      parameters: [token],
      responses: {
        200: pageOrJson(
          'Renewed (idempotent)',
          object({ status: enumOf(['renewed', 'already-renewed', 'nothing-to-renew']), purposes: arrayOf(str()) })
        ),
        ...linkErrors,
      },
    }),
  },
  '/consent/unsubscribe/{token}': {
    get: publicOp('The unsubscribe page with a one-click button (changes nothing)', {
      parameters: [token, locale],
      responses: {
        200: pageOrJson(
          'HTML for browsers, JSON otherwise',
          object({ purposes: arrayOf(str()), channel: nullable(str()), preferencesUrl: str() })
        ),
        ...errors(400, 410, 429),
      },
    }),
    post: publicOp('RFC 8058 one-click unsubscribe', {
      parameters: [token],
      requestBody: {
        required: false,
        content: {
          'application/x-www-form-urlencoded': { schema: object({ 'List-Unsubscribe': { const: 'One-Click' } }, []) },
          'multipart/form-data': { schema: object({ 'List-Unsubscribe': { const: 'One-Click' } }, []) },
        },
      },
      responses: {
        200: pageOrJson(
          'Unsubscribed (no redirect)',
          object({ status: { const: 'unsubscribed' }, changed: { type: 'array' } })
        ),
        ...errors(400, 410, 413, 429),
      },
    }),
  },
  '/consent/preferences/{token}': {
    get: publicOp("The preference centre: the person's state per purpose", {
      parameters: [token, locale],
      responses: {
        200: pageOrJson('HTML for browsers, JSON otherwise', ref('PreferenceView')),
        ...errors(400, 410, 429),
      },
    }),
    put: publicOp('Grants and withdraws per purpose in one call', {
      parameters: [token],
      requestBody: jsonBody(
        object(
          {
            choices: { type: 'object', additionalProperties: bool },
            notices: { type: 'object', additionalProperties: object({ version: int(), hash: str() }) },
            locale: str(),
          },
          ['choices']
        )
      ),
      responses: {
        200: json(data(object({ states: { type: 'object', additionalProperties: ref('State') } })), 'The new states'),
        ...errors(400, 409, 410, 413, 429),
      },
    }),
    post: publicOp("The preference centre page's form (urlencoded)", {
      parameters: [token],
      responses: { 200: html('The page again, saved'), ...errors(400, 409, 410, 413, 429) },
    }),
  },
  '/consent/withdrawals': {
    post: publicOp('Withdrawal or objection by identifier alone (always 202: no enumeration)', {
      requestBody: jsonBody(
        object(
          {
            subject: subjectInput,
            purposes: { oneOf: [arrayOf(str(), { minItems: 1 }), { const: 'all' }] },
            channel: ref('Channel'),
          },
          ['subject', 'purposes']
        )
      ),
      responses: { 202: json(data(object({ status: { const: 'accepted' } })), 'Accepted'), ...errors(400, 413, 429) },
    }),
  },
  '/consent/headers': {
    get: serverOp('List-Unsubscribe headers and visible links for one outgoing message', {
      parameters: [
        queryParam('purpose', str(), 'The purpose key', true),
        queryParam('email', str(), 'The recipient'),
        queryParam('phone', str(), 'The recipient (SMS)'),
        queryParam('channel', ref('Channel'), "The message's channel"),
      ],
      responses: { 200: json(data(ref('MessageLinks')), 'The headers and links'), ...errors(400, 401, 403) },
    }),
  },
  '/consent/eligibility': {
    get: serverOp('May I contact this person for this purpose on this channel?', {
      description: 'Identifiers in a URL end up in access logs: prefer the POST with one person in the body.',
      parameters: [
        queryParam('purpose', str(), 'The purpose key', true),
        queryParam('channel', ref('Channel'), 'Required when the purpose has several channels'),
        queryParam('jurisdiction', enumOf(JURISDICTIONS), "Overrides the person's and the site's"),
        queryParam('email', str(), 'Exactly one of email, phone, subject'),
        queryParam('phone', str(), 'Exactly one of email, phone, subject'),
        queryParam('subject', str(), 'The pseudonym'),
      ],
      responses: { 200: json(data(ref('Eligibility')), 'The answer and its reasons'), ...errors(400, 401, 403) },
    }),
    post: serverOp(
      `The same for one person in the body, or up to ${BULK_ELIGIBILITY_MAX.toLocaleString('en')} in \`subjects\``,
      {
        requestBody: jsonBody({
          oneOf: [
            {
              ...object(
                {
                  ...eligibilityQuestion,
                  subjects: arrayOf(subjectRef, { minItems: 1, maxItems: BULK_ELIGIBILITY_MAX }),
                },
                ['purpose', 'subjects']
              ),
            },
            {
              type: 'object',
              required: ['purpose'],
              properties: { ...eligibilityQuestion, email: str(), phone: str(), subject: str() },
            },
          ],
        }),
        responses: {
          200: json(
            data({
              oneOf: [ref('Eligibility'), arrayOf({ allOf: [ref('Eligibility'), object({ ref: subjectRef })] })],
            }),
            'One answer, or one per subject in order'
          ),
          ...errors(400, 401, 403, 413),
        },
      }
    ),
  },
  '/consent/subjects/export': {
    get: serverOp('Art. 15/20 export: every event, the notice texts shown, receipts', {
      parameters: [
        queryParam('email', str(), 'Exactly one of email, phone, externalId, subject'),
        queryParam('phone', str(), ''),
        queryParam('externalId', str(), ''),
        queryParam('subject', str(), 'The pseudonym'),
      ],
      responses: {
        200: json(data({ type: 'object', required: ['events'] }), 'The export'),
        ...errors(400, 401, 403, 404),
      },
    }),
  },
  '/consent/subjects/erase': {
    post: serverOp('Art. 17 erasure: identifiers removed, pseudonymous proof and suppression kept', {
      requestBody: jsonBody(object({ email: str(), phone: str(), externalId: str(), subject: str() }, [])),
      responses: {
        200: json(
          data(object({ status: { const: 'erased' }, erasedAt: str({ format: 'date-time' }) })),
          'Erased (the same however often asked)'
        ),
        ...errors(400, 401, 403, 404),
      },
    }),
  },
  '/consent/events': {
    post: serverOp(
      `Records consents captured elsewhere (up to ${IMPORT_MAX_EVENTS} events); unproven imports stay ineligible (J2)`,
      {
        requestBody: jsonBody({
          type: 'object',
          required: ['events'],
          properties: {
            source: { type: 'object' },
            events: arrayOf({ type: 'object' }, { maxItems: IMPORT_MAX_EVENTS }),
          },
        }),
        responses: {
          201: json(
            data(object({ recorded: int(), unproven: int(), skipped: int(), events: arrayOf({ type: 'object' }) })),
            'What was recorded'
          ),
          ...errors(400, 401, 403, 413),
        },
      }
    ),
  },
  '/consent/relationships': {
    post: serverOp('Evidence of a current contract, which contract-basis purposes need (C7)', {
      description:
        'The same `reference` again for the same person updates it (e.g. sets `endedAt`). Several at once: `{ relationships: [...] }`.',
      requestBody: jsonBody({
        oneOf: [
          ref('RelationshipInput'),
          object({ relationships: arrayOf(ref('RelationshipInput'), { minItems: 1 }) }),
        ],
      }),
      responses: {
        200: json(data({ oneOf: [ref('Relationship'), arrayOf(ref('Relationship'))] }), 'The relationship(s)'),
        201: json(data({ oneOf: [ref('Relationship'), arrayOf(ref('Relationship'))] }), 'The relationship(s)'),
        ...errors(400, 401, 403, 413),
      },
    }),
  },
  '/consent/phone-verifications': {
    post: serverOp('A verified phone number confirms pending phone/SMS consent (C8, N16)', {
      requestBody: jsonBody(
        object(
          {
            subject: object({ phone: str() }),
            method: enumOf(PHONE_VERIFICATION_METHODS),
            reference: str(),
            occurredAt: str({ format: 'date-time' }),
          },
          ['subject', 'method', 'reference']
        )
      ),
      responses: {
        200: json(
          data(object({ confirmed: arrayOf(object({ purpose: str(), channel: ref('Channel') })) })),
          'The consents confirmed'
        ),
        ...errors(400, 401, 403),
      },
    }),
  },
  '/consent/contacts': {
    post: serverOp("Uses of a consent (C8) and the person's own acts (I4), as `contacted` events", {
      requestBody: jsonBody({
        oneOf: [
          ref('ContactInput'),
          object({ contacts: arrayOf(ref('ContactInput'), { minItems: 1, maxItems: MAX_CONTACTS }) }),
        ],
      }),
      responses: {
        201: json(data({ oneOf: [object({ eventId: str() }), object({ eventIds: arrayOf(str()) })] }), 'Recorded'),
        ...errors(400, 401, 403, 404, 413),
      },
    }),
  },
  '/consent/messages': {
    post: serverOp('Consent-gated sending (D4, E1–E7): queues a mail to those eligible at the moment of sending', {
      description:
        'Each recipient is checked for eligibility just before their batch is sent, gets `List-Unsubscribe` and ' +
        '`List-Unsubscribe-Post` headers and their own `{{unsubscribeUrl}}` / `{{preferencesUrl}}`, and a `contacted` event. ' +
        'At most once: a mail interrupted mid-send is reported `failed`, never sent twice.',
      requestBody: jsonBody({
        ...object(
          {
            purpose: str(),
            channel: { const: 'email' },
            recipients: arrayOf(object({ email: str({ format: 'email' }) }), {
              minItems: 1,
              description: 'At most `messages.maxRecipientsPerCall`; or `audience`',
            }),
            audience: str({ description: 'A purpose key: everyone eligible for it by email' }),
            template: object({
              subject: str(),
              html: str({ description: 'Must contain `{{unsubscribeUrl}}` (D4); `{{preferencesUrl}}` is offered too' }),
              text: str({ description: 'Must contain `{{unsubscribeUrl}}` (D4)' }),
            }),
          },
          ['purpose', 'channel', 'template']
        ),
      }),
      responses: {
        202: json(data(object({ id: int() })), 'Queued: follow it with GET /consent/messages/{id}'),
        ...errors(400, 401, 403, 413),
      },
    }),
  },
  '/consent/messages/{id}': {
    get: serverOp('A send: its status, counts and one page of recipients', {
      parameters: [
        pathParam('id', 'The id the POST answered'),
        queryParam('page', str({ pattern: '^[1-9][0-9]*$' }), 'From 1'),
        queryParam('pageSize', str({ pattern: '^[1-9][0-9]*$' }), '1–1000, default 100'),
        queryParam(
          'status',
          enumOf(['queued', 'sending', 'sent', 'skipped', 'failed']),
          'Only recipients in this state'
        ),
      ],
      responses: {
        200: json(
          data({
            ...object(
              {
                id: int(),
                purpose: str(),
                channel: str(),
                status: enumOf(['queued', 'sending', 'done', 'failed']),
                counts: object({
                  total: int(),
                  sent: int(),
                  skipped: int(),
                  failed: int(),
                  queued: int(),
                  sending: int(),
                }),
                recipients: arrayOf(
                  object(
                    {
                      position: int(),
                      email: nullable(str()),
                      status: enumOf(['queued', 'sending', 'sent', 'skipped', 'failed']),
                      reasons: arrayOf(str(), { description: 'Why skipped (eligibility reason codes) or failed' }),
                      sentAt: str({ format: 'date-time' }),
                    },
                    ['position', 'status']
                  )
                ),
                pagination: object({ page: int(), pageSize: int(), total: int(), pageCount: int() }),
              },
              ['id', 'purpose', 'status', 'counts', 'recipients', 'pagination']
            ),
          }),
          'The send'
        ),
        ...errors(400, 401, 403, 404),
      },
    }),
  },
  '/consent/audiences/{purpose}': {
    get: serverOp('Streams everyone eligible now, constant memory', {
      parameters: [
        pathParam('purpose', 'The purpose key'),
        queryParam('channel', ref('Channel'), 'Required when the purpose has several channels'),
        queryParam('format', enumOf(AUDIENCE_FORMATS), 'ndjson (default) or csv'),
        queryParam('jurisdiction', enumOf(JURISDICTIONS), "Overrides the people's and the site's"),
      ],
      responses: {
        200: {
          description: 'One person per line',
          content: { 'application/x-ndjson': { schema: str() }, 'text/csv': { schema: str() } },
        },
        ...errors(400, 401, 403, 404),
      },
    }),
  },
};

schemas.ContactInput = object(
  {
    subject: subjectInput,
    purpose: str(),
    channel: ref('Channel'),
    occurredAt: str({ format: 'date-time' }),
    kind: enumOf(CONTACT_KINDS),
  },
  ['subject', 'purpose', 'channel', 'occurredAt']
);
schemas.RelationshipInput = object(
  {
    subject: subjectInput,
    reference: str(),
    startedAt: str({ format: 'date-time' }),
    endedAt: nullable(str({ format: 'date-time' })),
  },
  ['subject', 'reference', 'startedAt']
);
schemas.Relationship = object({
  subject: str(),
  reference: str(),
  startedAt: str(),
  endedAt: nullable(str()),
  current: bool,
});

export const openApiDocument = (version: string) => ({
  openapi: '3.1.0',
  info: {
    title: 'strapi-plugin-consent',
    version,
    description:
      'GDPR consent capture and proof for Strapi 5: the public routes front ends call and the server-to-server routes back ends call. ' +
      "Success bodies are `{ data }`; errors are Strapi's `{ data: null, error: { status, name, message, details } }`.",
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [{ url: '/api', description: "The Strapi app's content API prefix" }],
  tags: Object.values(tags).map((name) => ({ name })),
  paths,
  components: {
    schemas,
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'A Strapi API token, or a users-permissions JWT' },
    },
  },
});

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
