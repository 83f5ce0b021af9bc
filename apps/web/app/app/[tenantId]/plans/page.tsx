import type { Metadata } from 'next';
import { Workflow } from 'lucide-react';
import { ComingSoon } from '@/components/app/coming-soon';

export const metadata: Metadata = { title: 'Plans' };

export default function PlansPage() {
  return (
    <ComingSoon
      title="Plans"
      description="Design a PostgreSQL deployment on a canvas and deploy it in one click."
      icon={Workflow}
      emptyTitle="No plans yet"
      emptyDescription="Deployment plans are coming soon. You will be able to:"
      bullets={[
        'drag a PostgreSQL node onto a canvas and size it',
        'get settings tuned for the machine, with backups',
        'deploy, and watch its status: not deployed, deploying, running or failing',
      ]}
    />
  );
}
