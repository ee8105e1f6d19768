/**
 * The consent routes in `@strapi/plugin-documentation` (issue 18): the playground boots with the
 * documentation plugin, which writes the site's OpenAPI document (full_documentation.json, under
 * src/extensions/documentation, here a temporary folder: harness/documentation.ts) and serves it in its
 * Swagger UI at /documentation/v1.0.0. That document must hold each consent route once, as our own description says
 * (bodies, answers, errors), beside the site's routes and without replacing any of the site's schemas.
 */
import { openApiDocument } from '../../server/src/openapi/document';
import { bootWithDocumentation, type DocumentedStrapi } from '../harness/documentation';

type Json = Record<string, any>;

const ours = openApiDocument('test');
const OUR_PATHS = Object.keys(ours.paths).sort();

const consentSchemas = (doc: Json) =>
  Object.fromEntries(Object.entries(doc.components.schemas).filter(([name]) => name.startsWith('Consent')));
const consentPaths = (doc: Json) =>
  Object.keys(doc.paths)
    .filter((p) => p.startsWith('/consent'))
    .sort();

/** Every `$ref` under `value`, so a test can check that each one names a schema the document holds. */
const refsIn = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(refsIn)
    : typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)))
      : [];
/** The 3.1-only schema keywords a 3.0 reader (the plugin's Swagger UI 4) does not know. */
const only31 = (value: unknown, at = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => only31(v, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Json;
  const here = [
    ...(v.type === 'null' || Array.isArray(v.type) ? [`${at}: type ${JSON.stringify(v.type)}`] : []),
    ...('const' in v ? [`${at}: const`] : []),
    ...(Array.isArray(v.examples) ? [`${at}: examples`] : []),
    ...('propertyNames' in v ? [`${at}: propertyNames`] : []),
  ];
  const children = Object.entries(v).flatMap(([k, inner]) =>
    // A property may be named like a keyword: look into `properties` maps by value only.
    k === 'properties' && typeof inner === 'object' && inner !== null
      ? Object.entries(inner).flatMap(([name, s]) => only31(s, `${at}/properties/${name}`))
      : only31(inner, `${at}/${k}`)
  );
  return [...here, ...children];
};

describe('with the documentation plugin in its default configuration (OpenAPI 3.0)', () => {
  let app: DocumentedStrapi;
  let doc: Json;
  beforeAll(async () => {
    app = await bootWithDocumentation();
    doc = app.fullDocumentation();
  });
  afterAll(() => app?.stop());

  it('holds every consent route once, and none that Strapi generated', () => {
    expect(doc.openapi).toBe('3.0.0');
    expect(consentPaths(doc)).toEqual(OUR_PATHS);
    for (const p of OUR_PATHS) expect(Object.keys(doc.paths[p]).sort()).toEqual(Object.keys(ours.paths[p]).sort());
  });

  it('a submission: its request body, its answer and its errors, with schemas that resolve', () => {
    const submit = doc.paths['/consent/submissions'].post;
    expect(submit.security).toEqual([]);
    const body = submit.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['form', 'subject']);
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining(['form', 'subject', 'choices', 'notices', 'context'])
    );
    const created = submit.responses['201'].content['application/json'].schema;
    expect(created.properties.data.properties.receipt).toEqual({ $ref: '#/components/schemas/ConsentReceipt' });
    expect(submit.responses['400'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ConsentError',
    });
    expect(Object.keys(submit.responses).sort()).toEqual(
      Object.keys(ours.paths['/consent/submissions'].post.responses as Json).sort()
    );

    const eligibility = doc.paths['/consent/eligibility'];
    expect(Object.values(eligibility).every((op: any) => op.security?.[0]?.bearerAuth)).toBe(true);

    const consentParts = [OUR_PATHS.map((p) => doc.paths[p]), consentSchemas(doc)];
    const missing = refsIn(consentParts).filter(
      (ref) => !doc.components.schemas[ref.replace('#/components/schemas/', '')]
    );
    expect(missing).toEqual([]);
  });

  it("leaves the site's schemas and security scheme as they were, and adds ours under Consent…", () => {
    // The documentation plugin's own Error (data nullable, error required), used by every generated route.
    expect(doc.components.schemas.Error.required).toEqual(['error']);
    expect(doc.components.schemas.Error.properties.data.nullable).toBe(true);
    expect(doc.components.securitySchemes.bearerAuth.bearerFormat).toBe('JWT');
    for (const name of Object.keys(ours.components.schemas)) {
      expect(doc.components.schemas).toHaveProperty([`Consent${name}`]);
    }
    // The playground's own API is still generated beside ours.
    expect(Object.keys(doc.paths).some((p) => !p.startsWith('/consent'))).toBe(true);
    expect(doc.tags.map((t: Json) => t.name)).toEqual(expect.arrayContaining(ours.tags.map((t) => t.name)));
  });

  it('speaks 3.0 in our routes and schemas, as the document declares', () => {
    expect(only31({ paths: OUR_PATHS.map((p) => doc.paths[p]), schemas: consentSchemas(doc) })).toEqual([]);
    // What they became: a one-value enum, a nullable value, a single example.
    const { ConsentMessageLinks, ConsentError, ConsentRelationship } = doc.components.schemas;
    expect(ConsentMessageLinks.properties.listUnsubscribePost).toEqual({ enum: ['List-Unsubscribe=One-Click'] });
    expect(ConsentError.properties.data).toEqual({ nullable: true, enum: [null] });
    expect(ConsentRelationship.properties.endedAt).toEqual({ type: 'string', nullable: true });
    const locale = doc.paths['/consent/forms/{key}'].get.parameters.find((p: Json) => p.name === 'locale');
    expect(locale.schema).toEqual({ type: 'string', example: 'de' });
  });

  it('serves the Swagger UI page with the consent routes in its document', async () => {
    const res = await app.http().get('/documentation/v1.0.0');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
    expect(res.text).toContain('/consent/submissions');
  });
});

describe('with consent listed in x-strapi-config.plugins and OpenAPI 3.1', () => {
  let app: DocumentedStrapi;
  beforeAll(async () => {
    app = await bootWithDocumentation({
      openapi: '3.1.0',
      'x-strapi-config': { plugins: ['users-permissions', 'consent'] },
    });
  });
  afterAll(() => app?.stop());

  it("our description replaces Strapi's generation for the plugin, in 3.1's own dialect", () => {
    const doc = app.fullDocumentation();
    expect(consentPaths(doc)).toEqual(OUR_PATHS);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/auth/local']));
    // Unchanged from our description apart from the schema names.
    expect(doc.components.schemas.ConsentError.properties.data).toEqual({ type: 'null' });
    expect(doc.paths['/consent/jwks.json']).toEqual(
      JSON.parse(JSON.stringify(ours.paths['/consent/jwks.json']).replaceAll('/schemas/', '/schemas/Consent'))
    );
  });
});

describe('with a list of plugins to document that leaves consent out', () => {
  let app: DocumentedStrapi;
  beforeAll(async () => {
    app = await bootWithDocumentation({ 'x-strapi-config': { plugins: ['users-permissions'] } });
  });
  afterAll(() => app?.stop());

  it('the site chose: no consent route in its document', () => {
    const doc = app.fullDocumentation();
    expect(consentPaths(doc)).toEqual([]);
    expect(Object.keys(doc.components.schemas).filter((n) => n.startsWith('Consent'))).toEqual([]);
  });
});
