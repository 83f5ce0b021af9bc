'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ZChangePasswordRequest, type TChangePasswordRequest } from '@elasticdash/contracts/auth/user';
import { PASSWORD_MIN_LENGTH } from '@elasticdash/contracts/auth/user';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Field, FormError } from '@/components/ui/field';
import { PasswordInput } from '@/components/ui/password-input';
import { useToast } from '@/components/ui/toast';
import { api } from '@/lib/api';
import { useZodForm } from '@/lib/forms';
import { queryKeys } from '@/lib/queries';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function PasswordCard() {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const form = useZodForm(ZChangePasswordRequest, FIELDS);
  const change = useMutation({
    mutationFn: (body: TChangePasswordRequest) => api('/me/password', { method: 'POST', body, redirectOn401: false }),
    onSuccess: async () => {
      toast({ variant: 'success', title: 'Password changed', description: 'Your other sessions were signed out.' });
      await queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
    },
  });

  return (
    <Card>
      <CardHeader title="Password" description="Changing it signs you out everywhere else." />
      <CardBody>
        <form
          noValidate
          className="flex max-w-md flex-col gap-4"
          onSubmit={form.handleSubmit((data, element) =>
            change.mutate(data, { onSuccess: () => element.reset(), onError: form.applyServerError }),
          )}
        >
          <FormError message={form.formError} />
          <Field label="Current password" name="currentPassword" error={form.errors.currentPassword}>
            {(control) => (
              <PasswordInput
                {...control}
                autoComplete="current-password"
                required
                onChange={() => form.clearFieldError('currentPassword')}
              />
            )}
          </Field>
          <Field
            label="New password"
            name="newPassword"
            error={form.errors.newPassword}
            hint={`At least ${PASSWORD_MIN_LENGTH} characters, mixing letters with digits or symbols.`}
          >
            {(control) => (
              <PasswordInput
                {...control}
                autoComplete="new-password"
                required
                onChange={() => form.clearFieldError('newPassword')}
              />
            )}
          </Field>
          <Button type="submit" loading={change.isPending} className="self-start">
            Change password
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
