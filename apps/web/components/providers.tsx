'use client';

import { useLayoutEffect, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ToastProvider } from '@/components/ui/toast';
import { isApiError } from '@/lib/api';
import { reapplyStoredPreferences } from '@/lib/preferences-store';
import { RealtimeBridge } from '@/lib/realtime/realtime-bridge';

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // 4xx answers are final (forbidden, not found, validation); retry network and 5xx twice.
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          return failureCount < 2;
        },
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  // The inline script already set <html data-theme>; in development React's strict-mode
  // remount clears it, so put it back before paint (a no-op in production).
  useLayoutEffect(() => reapplyStoredPreferences(), []);
  return (
    <QueryClientProvider client={client}>
      <RealtimeBridge />
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
