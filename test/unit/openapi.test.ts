/**
 * The OpenAPI description (server/src/openapi/document.ts) describes exactly the routes the plugin serves
 * to front ends and back ends, and every schema in it compiles.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import contentApi from '../../server/src/routes/content-api';
import { openApiDocument } from '../../server/src/openapi/document';

const doc = openApiDocument('1.0.0');
const routeKey = (method: string, path: string) => `${method.toUpperCase()} /consent${path.replace(/:(\w+)/g, '{$1}')}`;

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1 with the package version', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1.0.0');
  });

  it('describes every public and server-to-server route, and no other', () => {
    const served = contentApi.routes.map((r) => routeKey(r.method, r.path)).sort();
    const described = Object.entries(doc.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(described).toEqual(served);
  });

  it('every operation answers its errors with the one error body and says whether it needs a token', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations) as [
        string,
        { security?: unknown[]; responses: Record<string, unknown> },
      ][]) {
        expect({ at: `${method} ${path}`, security: Array.isArray(op.security) }).toEqual({
          at: `${method} ${path}`,
          security: true,
        });
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) >= 400)
            expect(response).toMatchObject({
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            });
        }
      }
    }
  });

  it('every schema compiles as JSON Schema 2020-12 (the dialect of OpenAPI 3.1)', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    expect(() =>
      ajv.compile({ $defs: doc.components.schemas, components: doc.components, type: 'object' })
    ).not.toThrow();
    for (const operations of Object.values(doc.paths)) {
      for (const op of Object.values(operations) as {
        responses: Record<string, { content?: Record<string, { schema: object }> }>;
      }[]) {
        for (const response of Object.values(op.responses)) {
          for (const media of Object.values(response.content ?? {})) {
            expect(() => ajv.compile({ ...media.schema, components: doc.components })).not.toThrow();
          }
        }
      }
    }
  });
});
