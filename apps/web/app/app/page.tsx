import type { Metadata } from 'next';
import { WorkspacePicker } from '@/components/app/workspace-picker';

export const metadata: Metadata = { title: 'Workspaces' };

export default function AppIndexPage() {
  return <WorkspacePicker />;
}
