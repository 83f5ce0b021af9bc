import type { Metadata } from 'next';
import { BarChart3 } from 'lucide-react';
import { ComingSoon } from '@/components/app/coming-soon';

export const metadata: Metadata = { title: 'Dashboards' };

export default function DashboardsPage() {
  return (
    <ComingSoon
      title="Dashboards"
      description="Charts built from your datasets, shared with your workspace."
      icon={BarChart3}
      emptyTitle="No dashboards yet"
      emptyDescription="Dashboards are coming soon. You will be able to:"
      bullets={['chart any dataset in a few clicks', 'arrange panels on a dashboard', 'share it with your team']}
    />
  );
}
