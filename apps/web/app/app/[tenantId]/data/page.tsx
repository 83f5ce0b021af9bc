import type { Metadata } from 'next';
import { Table2 } from 'lucide-react';
import { ComingSoon } from '@/components/app/coming-soon';

export const metadata: Metadata = { title: 'Data' };

export default function DataPage() {
  return (
    <ComingSoon
      title="Data"
      description="Browse and edit the rows of your PostgreSQL databases, no SQL needed."
      icon={Table2}
      emptyTitle="No databases connected yet"
      emptyDescription="Connecting an existing PostgreSQL database is coming soon. You will be able to:"
      bullets={[
        'add a connection (the password goes to a secret store, never our tables)',
        'browse tables in a spreadsheet-like grid',
        'filter, sort and edit rows, with every change audited',
      ]}
    />
  );
}
