import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { DashboardEditor } from '@/components/dashboards/dashboard-editor';

export const metadata: Metadata = { title: 'Dashboard' };

const ZDashboardId = z.uuid();

export default async function DashboardPage({ params }: { params: Promise<{ dashboardId: string }> }) {
  const { dashboardId } = await params;
  if (!ZDashboardId.safeParse(dashboardId).success) notFound();
  return <DashboardEditor dashboardId={dashboardId} />;
}
