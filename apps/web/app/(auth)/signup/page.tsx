import type { Metadata } from 'next';
import { AuthSwitchLink } from '@/components/auth/auth-switch-link';
import { SignupForm } from '@/components/auth/signup-form';
import { Card, CardBody } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Sign up' };

export default function SignupPage() {
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight text-fg">Create your account</h1>
      <p className="mt-2 text-sm text-fg-muted">Start with a workspace for your team. No card needed.</p>
      <Card className="mt-6">
        <CardBody className="py-6">
          <SignupForm />
        </CardBody>
      </Card>
      <p className="mt-6 text-center text-sm text-fg-muted">
        Already have an account? <AuthSwitchLink href="/login">Log in</AuthSwitchLink>
      </p>
    </>
  );
}
