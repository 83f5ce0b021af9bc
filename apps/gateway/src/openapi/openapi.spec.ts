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
    expect(JSON.stringify(changeRole.requestBody)).toContain('"enum":["viewer","editor","admin","owner"]');
  });
});
