'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  ZMeResponse,
  ZUpdateProfileRequest,
  type TUpdateProfileRequest,
  type TUser,
} from '@elasticdash/contracts/auth/user';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FormError, TextField } from '@/components/ui/field';
import { useToast } from '@/components/ui/toast';
import { api } from '@/lib/api';
import { useZodForm } from '@/lib/forms';
import { queryKeys } from '@/lib/queries';

const FIELDS = ['name'] as const;

export function ProfileCard({ user }: { user: TUser }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const form = useZodForm(ZUpdateProfileRequest, FIELDS);
  const update = useMutation({
    mutationFn: (body: TUpdateProfileRequest) => api('/me', { method: 'PATCH', body, schema: ZMeResponse }),
    onSuccess: async (data) => {
      queryClient.setQueryData(queryKeys.me, data);
      toast({ variant: 'success', title: 'Profile saved' });
      // Member lists show names.
      await queryClient.invalidateQueries({ queryKey: ['tenant'] });
    },
    onError: form.applyServerError,
  });

  return (
    <Card>
      <CardHeader title="Profile" description="How teammates see you." />
      <CardBody>
        <form
          noValidate
          onSubmit={form.handleSubmit((data) => update.mutate(data))}
          className="flex max-w-md flex-col gap-4"
        >
          <FormError message={form.formError} />
          <TextField
            key={user.name}
            label="Name"
            name="name"
            defaultValue={user.name}
            autoComplete="name"
            required
            error={form.errors.name}
            onChange={() => form.clearFieldError('name')}
          />
          <TextField
            label="Email"
            name="email-readonly"
            defaultValue={user.email}
            readOnly
            hint="Your email cannot be changed here."
          />
          <Button type="submit" loading={update.isPending} className="self-start">
            Save profile
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
