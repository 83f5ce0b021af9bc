'use client';

import { useCallback } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ZPreferences, type TPreferences } from '@elasticdash/contracts/auth/preferences';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api';
import { setStoredPreferences } from '@/lib/preferences-store';
import { queryKeys } from '@/lib/queries';

/**
 * Changes the theme at once (localStorage + <html>), then saves it to the account when signed
 * in. localStorage stays the fallback when the save fails.
 */
export function useSavePreferences(persistToServer: boolean) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const mutation = useMutation({
    mutationFn: (preferences: TPreferences) =>
      api('/me/preferences', { method: 'PUT', body: preferences, schema: ZPreferences }),
    onMutate: async (preferences) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.preferences });
      queryClient.setQueryData(queryKeys.preferences, preferences);
    },
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.preferences, saved),
    onError: (error) => {
      toast({
        variant: 'danger',
        title: 'Theme saved on this device only',
        description: errorMessage(error),
      });
    },
  });
  const { mutate } = mutation;
  return useCallback(
    (preferences: TPreferences) => {
      setStoredPreferences(preferences);
      if (persistToServer) mutate(preferences);
    },
    [persistToServer, mutate],
  );
}
