import { z } from 'zod';

export const ZHealthCheckResult = z.object({
  name: z.string(),
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  error: z.string().optional(),
});

export const ZHealthResponse = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    service: z.string(),
    checks: z.array(ZHealthCheckResult),
  })
  .meta({ id: 'HealthResponse' });
export type THealthResponse = z.infer<typeof ZHealthResponse>;
