import { ZErrorResponse } from '@elasticdash/contracts/platform/errors';
import { ROUTES, type TRouteDef } from '@elasticdash/contracts/platform/routes';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * Named schemas (`.meta({ id })`) become `components.schemas` entries; zod emits them as
 * `$defs` local to each schema, so they are hoisted and their `$ref`s rewritten.
 */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any', cycles: 'ref' }) as JsonSchema;
    const { $schema: _ignored, $defs, ...rest } = generated;
    const suffix = io === 'input' ? 'Input' : '';
    const rewrite = (value: JsonSchema): JsonSchema =>
      JSON.parse(
        JSON.stringify(value).replace(
          /"#\/\$defs\/([^"]+)"/g,
          (_, name: string) => `"#/components/schemas/${name}${suffix}"`,
        ),
      ) as JsonSchema;
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      this.components[`${name}${suffix}`] = rewrite(definition);
    }
    return rewrite(rest);
  }
}

function operation(route: TRouteDef, schemas: SchemaCollector): JsonSchema {
  const parameters = [...route.path.matchAll(/:(\w+)/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.minRole) {
    parameters.push({ name: 'x-tenant-id', in: 'header', required: true, schema: { type: 'string' } });
  }
  if (route.auth === 'session' && route.method !== 'GET') {
    parameters.push({ name: 'x-csrf-token', in: 'header', required: true, schema: { type: 'string' } });
  }
  const errorResponse = {
    description: 'Error',
    content: { 'application/json': { schema: schemas.schemaOf(ZErrorResponse, 'output') } },
  };
  return {
    operationId: route.id,
    summary: route.summary,
    tags: [route.id.split('.')[0]],
    description: [
      route.auth === 'session' ? 'Needs a session cookie.' : 'Public.',
      route.minRole
        ? `Tenant-scoped: needs the \`${route.minRole}\` role or above in the \`x-tenant-id\` workspace.`
        : '',
      route.rateLimit === 'auth' ? 'Rate limited per client IP.' : 'Rate limited per user.',
    ]
      .filter(Boolean)
      .join(' '),
    ...(route.auth === 'session' ? { security: [{ session: [] }] } : {}),
    parameters,
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemas.schemaOf(route.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [String(route.successStatus)]: route.response
        ? { description: 'OK', content: { 'application/json': { schema: schemas.schemaOf(route.response, 'output') } } }
        : { description: 'No content' },
      '4XX': errorResponse,
      '5XX': errorResponse,
    },
  };
}

/** The OpenAPI 3.1 document of the public API, generated from the route table's zod contracts. */
export function buildOpenApiDocument(): JsonSchema & {
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: JsonSchema };
} {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const schemas = new SchemaCollector();
  for (const route of ROUTES) {
    const path = `/api${route.path.replace(/:(\w+)/g, '{$1}')}`;
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ElasticDash API',
      version: '1.0.0',
      description:
        'Every error answers `{ error: { code, message, details?, requestId } }`. State-changing requests need `x-csrf-token` (the `ed_csrf` cookie value).',
    },
    components: {
      schemas: schemas.components,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ed_session' } },
    },
    paths,
  };
}
