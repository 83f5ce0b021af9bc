import type { LucideIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from './page-header';

/** An honest placeholder for a product page that is not built yet. */
export function ComingSoon({
  title,
  description,
  icon,
  emptyTitle,
  emptyDescription,
  bullets,
}: {
  title: string;
  description: string;
  icon: LucideIcon;
  emptyTitle: string;
  emptyDescription: string;
  bullets: readonly string[];
}) {
  return (
    <>
      <PageHeader title={title} description={description} actions={<Badge variant="accent">Coming soon</Badge>} />
      <Card>
        <EmptyState
          as="h2"
          icon={icon}
          title={emptyTitle}
          description={
            <>
              <p>{emptyDescription}</p>
              <ul className="mx-auto mt-4 max-w-sm list-disc pl-5 text-left">
                {bullets.map((bullet) => (
                  <li key={bullet}>{bullet}</li>
                ))}
              </ul>
            </>
          }
        />
      </Card>
    </>
  );
}
