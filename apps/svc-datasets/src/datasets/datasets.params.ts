import { z } from 'zod';

export const ZDatasetParams = z.object({ datasetId: z.uuid('datasetId must be a UUID') });
export type TDatasetParams = z.infer<typeof ZDatasetParams>;
export const ZUploadParams = ZDatasetParams.extend({ uploadId: z.uuid('uploadId must be a UUID') });
export type TUploadParams = z.infer<typeof ZUploadParams>;
export const ZDashboardParams = z.object({ dashboardId: z.uuid('dashboardId must be a UUID') });
export type TDashboardParams = z.infer<typeof ZDashboardParams>;
