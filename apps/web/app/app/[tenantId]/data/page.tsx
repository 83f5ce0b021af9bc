import type { Metadata } from 'next';
import { ConnectionsView } from '@/components/data/connections/connections-view';

export const metadata: Metadata = { title: 'Data' };

export default function DataPage() {
  return <ConnectionsView />;
}
