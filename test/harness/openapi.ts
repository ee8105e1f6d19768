import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { openApiDocument } from '../../server/src/openapi/document';

/**
 * Validates real answers against the plugin's OpenAPI description with a JSON Schema validator (Ajv,
 * draft 2020-12 as OpenAPI 3.1 uses), so the description cannot drift from what the routes answer.
 */
export const document = openApiDocument('test');

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<object, ReturnType<typeof ajv.compile>>();
/** A response schema with the document's components beside it, so its `#/components/…` references resolve. */
const validatorOf = (schema: object) => {
  if (!compiled.has(schema)) compiled.set(schema, ajv.compile({ ...schema, components: document.components }));
  return compiled.get(schema)!;
};

/** `/api/consent/forms/signup?locale=de` → `/consent/forms/{key}` (the document's path keys). */
const templateOf = (url: string): string | undefined => {
  const path = new URL(url, 'http://x').pathname.replace(/^\/api/, '');
  return Object.keys(document.paths).find((template) =>
    new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path)
  );
};

/** The schema problems of one answer, or a sentence saying the document does not describe it. */
export const undescribed = (res: Response): string[] => {
  const { method, url } = res.request as unknown as { method: string; url: string };
  const template = templateOf(url);
  if (!template) return [`${method} ${url}: no path of the document matches`];
  const operation = (
    document.paths[template] as Record<
      string,
      { responses: Record<string, { content?: Record<string, { schema: object }> }> }
    >
  )[method.toLowerCase()];
  if (!operation) return [`${method} ${template}: not described`];
  const response = operation.responses[String(res.status)];
  if (!response) return [`${method} ${template}: status ${res.status} not described`];
  if (!response.content) return [];
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  const media = response.content[type];
  if (!media) return [`${method} ${template} ${res.status}: content type "${type}" not described`];
  if (type !== 'application/json') return [];
  const validate = validatorOf(media.schema);
  return validate(res.body)
    ? []
    : (validate.errors ?? []).map((e) => `${method} ${template} ${res.status}: ${e.instancePath || '/'} ${e.message}`);
};
