import { z } from 'zod';
import { ZConnection } from '../data/connection.js';

/**
 * `POST /v1/plans/:planId/deployment/open-in-data`: the deployed database as a connection of the
 * Data product (registered once with the admin credentials; later calls return the same one).
 */
export const ZOpenInDataResponse = z
  .object({ connection: ZConnection, created: z.boolean() })
  .meta({ id: 'OpenInDataResponse' });
export type TOpenInDataResponse = z.infer<typeof ZOpenInDataResponse>;
