import type { ComponentType, ReactNode } from 'react';
import { cn } from '@/lib/cn';

interface EmptyStateProps {
  icon?: ComponentType<{ className?: string; 'aria-hidden'?: boolean }>;
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  className?: string;
  /** Heading level of the title (h2 when the empty state is the page's main content). */
  as?: 'h1' | 'h2' | 'h3';
}

export function EmptyState({ icon: Icon, title, description, action, className, as: Heading = 'h3' }: EmptyStateProps) {
  return (
    <div className={cn('flex flex-col items-center px-6 py-12 text-center', className)}>
      {Icon ? (
        <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-accent-soft text-accent-text">
          <Icon className="size-6" aria-hidden />
        </div>
      ) : null}
      <Heading className="text-base font-semibold text-fg">{title}</Heading>
      {description ? <div className="mt-2 max-w-md text-sm text-fg-muted">{description}</div> : null}
      {action ? <div className="mt-6">{action}</div> : null}
    </div>
  );
}
