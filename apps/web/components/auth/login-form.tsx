'use client';

import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ZAuthResponse, ZLoginRequest, type TLoginRequest } from '@elasticdash/contracts/auth/user';
import { Button } from '@/components/ui/button';
import { Field, FormError, TextField } from '@/components/ui/field';
import { PasswordInput } from '@/components/ui/password-input';
import { api } from '@/lib/api';
import { useZodForm } from '@/lib/forms';
import { afterSignIn } from './after-sign-in';

const FIELDS = ['email', 'password'] as const;

export function LoginForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useZodForm(ZLoginRequest, FIELDS);
  const login = useMutation({
    mutationFn: (body: TLoginRequest) =>
      api('/auth/login', { method: 'POST', body, schema: ZAuthResponse, redirectOn401: false }),
    onSuccess: async ({ user }) => router.replace(await afterSignIn(queryClient, user)),
    onError: form.applyServerError,
  });

  return (
    <form noValidate onSubmit={form.handleSubmit((data) => login.mutate(data))} className="flex flex-col gap-4">
      <FormError message={form.formError} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        error={form.errors.email}
        onChange={() => form.clearFieldError('email')}
      />
      <Field label="Password" name="password" error={form.errors.password}>
        {(control) => (
          <PasswordInput
            {...control}
            autoComplete="current-password"
            required
            onChange={() => form.clearFieldError('password')}
          />
        )}
      </Field>
      <Button type="submit" loading={login.isPending || login.isSuccess} className="mt-2 w-full">
        Log in
      </Button>
    </form>
  );
}
