/**
 * Rewrites the JSON Schemas of an OpenAPI 3.1 document in OpenAPI 3.0's dialect, for a host that declares
 * 3.0 (the documentation plugin does by default, and its Swagger UI reads 3.0): 3.0 has no `null` type, no
 * `const`, no schema `examples` array and no `propertyNames`, and a viewer that meets them shows wrong or
 * empty models. Only schema positions are rewritten; a property that happens to be named `const` stays.
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNullType = (schema: unknown) => isObject(schema) && schema.type === 'null' && Object.keys(schema).length === 1;

/** `oneOf`/`anyOf` with a `null` member: the other members, marked `nullable` (before their own rewrite). */
const withoutNullMember = (schema: Json): Json | undefined => {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const members = schema[key];
    if (!Array.isArray(members) || !members.some(isNullType)) continue;
    const rest = members.filter((member) => !isNullType(member)) as Json[];
    const { [key]: _, ...others } = schema;
    if (rest.length !== 1) return { ...others, [key]: rest, nullable: true };
    // A `$ref` ignores its siblings in 3.0, so a nullable reference goes through `allOf`.
    return '$ref' in rest[0]
      ? { ...others, allOf: [rest[0]], nullable: true }
      : { ...others, ...rest[0], nullable: true };
  }
  return undefined;
};

export const schemaTo30 = (input: unknown): unknown => {
  if (!isObject(input)) return input;
  const schema: Json = { ...(withoutNullMember(input) ?? input) };
  for (const key of ['items', 'not', 'additionalProperties'] as const) {
    if (isObject(schema[key])) schema[key] = schemaTo30(schema[key]);
  }
  if (isObject(schema.properties)) {
    schema.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, schemaTo30(v)]));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) schema[key] = (schema[key] as unknown[]).map(schemaTo30);
  }

  if ('const' in schema) {
    schema.enum = [schema.const];
    delete schema.const;
  }
  if (Array.isArray(schema.examples)) {
    if (schema.examples.length > 0) schema.example = schema.examples[0];
    delete schema.examples;
  }
  // The keys' own schema has no 3.0 form; `additionalProperties` still describes the values.
  delete schema.propertyNames;
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== 'null');
    if (types.length < schema.type.length) schema.nullable = true;
    if (types.length === 1) schema.type = types[0];
    else {
      delete schema.type;
      schema.oneOf = types.map((type) => ({ type }));
    }
  }
  if (schema.type === 'null') {
    delete schema.type;
    return { ...schema, nullable: true, enum: [null] };
  }
  return schema;
};

const mediaTo30 = (content: unknown) =>
  isObject(content)
    ? Object.fromEntries(
        Object.entries(content).map(([type, media]) => [
          type,
          isObject(media) && media.schema ? { ...media, schema: schemaTo30(media.schema) } : media,
        ])
      )
    : content;

const parameterTo30 = (parameter: unknown) =>
  isObject(parameter) && parameter.schema ? { ...parameter, schema: schemaTo30(parameter.schema) } : parameter;

const operationTo30 = (operation: Json): Json => {
  const out: Json = { ...operation };
  if (Array.isArray(out.parameters)) out.parameters = out.parameters.map(parameterTo30);
  if (isObject(out.requestBody)) out.requestBody = { ...out.requestBody, content: mediaTo30(out.requestBody.content) };
  if (isObject(out.responses)) {
    out.responses = Object.fromEntries(
      Object.entries(out.responses).map(([status, response]) => {
        if (!isObject(response)) return [status, response];
        const headers = isObject(response.headers)
          ? Object.fromEntries(Object.entries(response.headers).map(([name, h]) => [name, parameterTo30(h)]))
          : response.headers;
        return [
          status,
          {
            ...response,
            ...(response.content !== undefined && { content: mediaTo30(response.content) }),
            ...(headers !== undefined && { headers }),
          },
        ];
      })
    );
  }
  return out;
};

/** The paths and component schemas of a document, in 3.0's dialect. */
export const pathsAndSchemasTo30 = (paths: Json, schemas: Json) => ({
  paths: Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      isObject(item)
        ? Object.fromEntries(
            Object.entries(item).map(([method, op]) => [
              method,
              method === 'parameters' && Array.isArray(op)
                ? op.map(parameterTo30)
                : isObject(op)
                  ? operationTo30(op)
                  : op,
            ])
          )
        : item,
    ])
  ),
  schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, schemaTo30(schema)])),
});
