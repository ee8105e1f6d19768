/**
 * The 3.1 → 3.0 schema rewrite the documentation plugin's override goes through (server/src/openapi/
 * openapi-30.ts), on the shapes the plugin's description has and on those it may come to have.
 */
import { openApiDocument } from '../../server/src/openapi/document';
import { documentationOverride } from '../../server/src/openapi/documentation-override';
import { schemaTo30 } from '../../server/src/openapi/openapi-30';

describe('OpenAPI 3.1 schemas in 3.0 dialect', () => {
  it('null: alone, in a oneOf with a schema, with a reference, with several, in a type list', () => {
    expect(schemaTo30({ type: 'null' })).toEqual({ nullable: true, enum: [null] });
    expect(schemaTo30({ oneOf: [{ type: 'string' }, { type: 'null' }], description: 'd' })).toEqual({
      type: 'string',
      nullable: true,
      description: 'd',
    });
    expect(schemaTo30({ oneOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] })).toEqual({
      allOf: [{ $ref: '#/components/schemas/A' }],
      nullable: true,
    });
    expect(schemaTo30({ anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'integer' }],
      nullable: true,
    });
    expect(schemaTo30({ type: ['string', 'null'] })).toEqual({ type: 'string', nullable: true });
  });

  it('const, examples and propertyNames, deep inside; a property named like a keyword stays', () => {
    expect(
      schemaTo30({
        type: 'object',
        propertyNames: { enum: ['email'] },
        additionalProperties: { const: true },
        properties: {
          const: { type: 'string', examples: ['a', 'b'] },
          list: { type: 'array', items: { oneOf: [{ const: 'x' }, { type: 'null' }] } },
        },
      })
    ).toEqual({
      type: 'object',
      additionalProperties: { enum: [true] },
      properties: {
        const: { type: 'string', example: 'a' },
        list: { type: 'array', items: { enum: ['x'], nullable: true } },
      },
    });
  });

  it("the override: schemas renamed Consent…, no info (its version would gate it), the site's bearerAuth kept", () => {
    const document = openApiDocument('9.9.9');
    const override = documentationOverride(document, {
      openapi: '3.0.0',
      components: { securitySchemes: { bearerAuth: { type: 'http' } } },
    });
    expect(override).not.toHaveProperty('info');
    expect(override.components).not.toHaveProperty('securitySchemes');
    expect(Object.keys(override.components.schemas)).toEqual(
      Object.keys(document.components.schemas).map((n) => `Consent${n}`)
    );
    expect(JSON.stringify(override)).not.toMatch(/"#\/components\/schemas\/(?!Consent)/);
    expect(JSON.stringify(override)).not.toContain('"type":"null"');

    const on31 = documentationOverride(document, { openapi: '3.1.0' });
    expect(on31.components.securitySchemes).toEqual(document.components.securitySchemes);
    expect(on31.components.schemas.ConsentError).toEqual(document.components.schemas.Error);
  });
});
