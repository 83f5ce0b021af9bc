'use client';

import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  PASSWORD_MIN_LENGTH,
  ZAuthResponse,
  ZSignupRequest,
  type TSignupRequest,
} from '@elasticdash/contracts/auth/user';
import { Button } from '@/components/ui/button';
import { Field, FormError, TextField } from '@/components/ui/field';
import { PasswordInput } from '@/components/ui/password-input';
import { api } from '@/lib/api';
import { useZodForm } from '@/lib/forms';
import { afterSignIn } from './after-sign-in';

const FIELDS = ['name', 'email', 'password'] as const;

export function SignupForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useZodForm(ZSignupRequest, FIELDS);
  const signup = useMutation({
    mutationFn: (body: TSignupRequest) =>
      api('/auth/signup', { method: 'POST', body, schema: ZAuthResponse, redirectOn401: false }),
    onSuccess: async ({ user }) => router.replace(await afterSignIn(queryClient, user)),
    onError: form.applyServerError,
  });

  return (
    <form noValidate onSubmit={form.handleSubmit((data) => signup.mutate(data))} className="flex flex-col gap-4">
      <FormError message={form.formError} />
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        required
        error={form.errors.name}
        onChange={() => form.clearFieldError('name')}
      />
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
      <Field
        label="Password"
        name="password"
        error={form.errors.password}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters, mixing letters with digits or symbols.`}
      >
        {(control) => (
          <PasswordInput
            {...control}
            autoComplete="new-password"
            required
            onChange={() => form.clearFieldError('password')}
          />
        )}
      </Field>
      <Button type="submit" loading={signup.isPending || signup.isSuccess} className="mt-2 w-full">
        Create account
      </Button>
    </form>
  );
}
