import { BarChart3, Database, LayoutDashboard, Settings, Table2, Users, Workflow, type LucideIcon } from 'lucide-react';

export interface NavItem {
  /** Path segment under /app/[tenantId]; '' is the workspace home. */
  segment: string;
  label: string;
  icon: LucideIcon;
}

export const PRODUCT_NAV: readonly NavItem[] = [
  { segment: 'data', label: 'Data', icon: Table2 },
  { segment: 'datasets', label: 'Datasets', icon: Database },
  { segment: 'dashboards', label: 'Dashboards', icon: BarChart3 },
  { segment: 'plans', label: 'Plans', icon: Workflow },
];

export const WORKSPACE_NAV: readonly NavItem[] = [
  { segment: 'members', label: 'Members', icon: Users },
  { segment: 'settings', label: 'Settings', icon: Settings },
];

export const HOME_NAV: NavItem = { segment: '', label: 'Overview', icon: LayoutDashboard };

export function workspacePath(tenantId: string, segment = ''): string {
  return segment ? `/app/${tenantId}/${segment}` : `/app/${tenantId}`;
}

/** The section of /app/[tenantId]/<section>/… a path is in ('' for the workspace home). */
export function sectionOf(pathname: string): string {
  return pathname.split('/')[3] ?? '';
}
