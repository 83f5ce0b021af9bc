import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { toFieldIssues } from '@elasticdash/contracts/platform/errors';
import type { z } from 'zod';
import { validationFailed } from './errors.js';

/** Parses a body, query or params object with a zod contract; 400 lists each bad field path. */
@Injectable()
export class ZodPipe<TSchema extends z.ZodType> implements PipeTransform<unknown, z.infer<TSchema>> {
  constructor(private readonly schema: TSchema) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<TSchema> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const where =
      metadata.type === 'body' ? 'Request body' : metadata.type === 'query' ? 'Query string' : 'Path parameters';
    throw validationFailed(toFieldIssues(result.error.issues), `${where} is invalid`);
  }
}

/** Validates what a service is about to return, so a contract drift fails loudly in tests. */
export function respond<TSchema extends z.ZodType>(schema: TSchema, value: z.input<TSchema>): z.infer<TSchema> {
  return schema.parse(value);
}
