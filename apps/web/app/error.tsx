'use client';

import { ErrorState } from '@/components/ui/error-state';

export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center p-6">
      <ErrorState error={error} title="Something went wrong" onRetry={reset} />
    </main>
  );
}
