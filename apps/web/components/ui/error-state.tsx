'use client';

import { AlertTriangle, RotateCw } from 'lucide-react';
import { errorMessage } from '@/lib/api';
import { Button } from './button';
import { EmptyState } from './empty-state';

/** The error state every data region shows: what failed, the server's message, and a retry. */
export function ErrorState({
  error,
  title = 'Could not load this',
  onRetry,
  className,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  className?: string;
}) {
  return (
    <div role="alert" className={className}>
      <EmptyState
        icon={AlertTriangle}
        title={title}
        description={errorMessage(error)}
        action={
          onRetry ? (
            <Button variant="outline" onClick={onRetry}>
              <RotateCw aria-hidden /> Try again
            </Button>
          ) : undefined
        }
      />
    </div>
  );
}
