import type { Metadata } from 'next';
import { Database } from 'lucide-react';
import { ComingSoon } from '@/components/app/coming-soon';

export const metadata: Metadata = { title: 'Datasets' };

export default function DatasetsPage() {
  return (
    <ComingSoon
      title="Datasets"
      description="Upload CSV files and query them like tables."
      icon={Database}
      emptyTitle="No datasets yet"
      emptyDescription="CSV uploads are coming soon. You will be able to:"
      bullets={[
        'upload a CSV straight from your browser',
        'follow the import live while it is ingested',
        'use the dataset in dashboards',
      ]}
    />
  );
}
