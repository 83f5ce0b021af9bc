import { ZPlanParams } from '@elasticdash/contracts/plans/plan';
import type { z } from 'zod';

export { ZPlanParams };
export type TPlanParams = z.infer<typeof ZPlanParams>;
