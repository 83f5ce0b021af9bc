import { z } from 'zod';
import { ZDatasetFilter, ZPanelQuery } from './query.js';

export const PANEL_TYPES = ['line', 'bar', 'area', 'pie', 'number', 'table'] as const;
export const ZPanelType = z.enum(PANEL_TYPES);
export type TPanelType = z.infer<typeof ZPanelType>;

/** Grid position in a 12-column layout. */
export const ZPanelLayout = z.object({
  x: z.number().int().min(0).max(11),
  y: z.number().int().min(0).max(10_000),
  w: z.number().int().min(1).max(12),
  h: z.number().int().min(1).max(40),
});
export type TPanelLayout = z.infer<typeof ZPanelLayout>;

export const ZPanel = z
  .object({
    /** Client-generated so a new panel can be laid out before the dashboard is saved. */
    id: z.uuid(),
    title: z.string().trim().min(1, 'Title is required').max(120, 'Title must be at most 120 characters'),
    type: ZPanelType,
    query: ZPanelQuery,
    layout: ZPanelLayout,
  })
  .meta({ id: 'Panel' });
export type TPanel = z.infer<typeof ZPanel>;

const ZDashboardName = z.string().trim().min(1, 'Name is required').max(120, 'Name must be at most 120 characters');

export const ZDashboardSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    datasetId: z.uuid(),
    panelCount: z.number().int().min(0),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'DashboardSummary' });
export type TDashboardSummary = z.infer<typeof ZDashboardSummary>;

export const ZDashboard = z
  .object({
    id: z.uuid(),
    name: z.string(),
    datasetId: z.uuid(),
    /** Dashboard-wide filters, applied to every panel on top of its own. */
    filters: z.array(ZDatasetFilter),
    panels: z.array(ZPanel),
    /** Bumped on every save; a stale save gets 409. */
    revision: z.number().int().min(1),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Dashboard' });
export type TDashboard = z.infer<typeof ZDashboard>;

export const ZDashboardResponse = z.object({ dashboard: ZDashboard }).meta({ id: 'DashboardResponse' });
export type TDashboardResponse = z.infer<typeof ZDashboardResponse>;

export const ZListDashboardsResponse = z
  .object({ dashboards: z.array(ZDashboardSummary) })
  .meta({ id: 'ListDashboardsResponse' });
export type TListDashboardsResponse = z.infer<typeof ZListDashboardsResponse>;

export const ZCreateDashboardRequest = z
  .object({ name: ZDashboardName, datasetId: z.uuid() })
  .meta({ id: 'CreateDashboardRequest' });
export type TCreateDashboardRequest = z.infer<typeof ZCreateDashboardRequest>;

/** Save the whole dashboard (name, filters, panels with layout) in one write. */
export const ZUpdateDashboardRequest = z
  .object({
    baseRevision: z.number().int().min(1),
    name: ZDashboardName,
    filters: z.array(ZDatasetFilter).max(50),
    panels: z.array(ZPanel).max(48, 'A dashboard holds at most 48 panels'),
  })
  .meta({ id: 'UpdateDashboardRequest' });
export type TUpdateDashboardRequest = z.infer<typeof ZUpdateDashboardRequest>;
