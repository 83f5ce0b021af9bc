'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useToast } from '@/components/ui/toast';
import { api, isApiError, errorMessage } from '@/lib/api';

export function useLogout() {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  return useMutation({
    mutationFn: () => api('/auth/logout', { method: 'POST', redirectOn401: false }),
    onSuccess: () => {
      queryClient.clear();
      // A full load drops every bit of in-memory state from the signed-in session.
      window.location.assign('/login');
    },
    onError: (error) => {
      if (isApiError(error, 401)) {
        queryClient.clear();
        window.location.assign('/login');
        return;
      }
      toast({ variant: 'danger', title: 'Could not log out', description: errorMessage(error) });
    },
  });
}
