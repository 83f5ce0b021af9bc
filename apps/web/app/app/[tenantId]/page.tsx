import type { Metadata } from 'next';
import { WorkspaceHome } from '@/components/app/workspace-home';

export const metadata: Metadata = { title: 'Overview' };

export default function WorkspaceHomePage() {
  return <WorkspaceHome />;
}
