import { ROUTES } from '@elasticdash/contracts/platform/routes';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.js';

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument();

  it('has one operation per route in the table', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations).toHaveLength(ROUTES.length);
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(ROUTES.length);
  });

  it('documents path parameters, the tenant header and the request body schema', () => {
    const changeRole = document.paths['/api/members/{userId}']?.patch as {
      parameters: { name: string }[];
      requestBody: unknown;
    };
    expect(changeRole.parameters.map((parameter) => parameter.name)).toEqual(['userId', 'x-tenant-id', 'x-csrf-token']);
    const ref = /#\/components\/schemas\/(\w+)/.exec(JSON.stringify(changeRole.requestBody))?.[1] ?? '';
    expect(JSON.stringify(document.components.schemas[ref])).toContain('"enum":["viewer","editor","admin","owner"]');
  });

  it('hoists named schemas into components, leaving no dangling reference', () => {
    const text = JSON.stringify(document);
    expect(text).not.toContain('$defs');
    const refs = [...text.matchAll(/#\/components\/schemas\/([^"]+)/g)].map((match) => match[1] ?? '');
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(document.components.schemas, ref).toHaveProperty(ref);
  });
});
