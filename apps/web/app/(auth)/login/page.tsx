import type { Metadata } from 'next';
import { AuthSwitchLink } from '@/components/auth/auth-switch-link';
import { LoginForm } from '@/components/auth/login-form';
import { Card, CardBody } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Log in' };

export default function LoginPage() {
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight text-fg">Log in</h1>
      <p className="mt-2 text-sm text-fg-muted">Welcome back. Enter your email and password.</p>
      <Card className="mt-6">
        <CardBody className="py-6">
          <LoginForm />
        </CardBody>
      </Card>
      <p className="mt-6 text-center text-sm text-fg-muted">
        New to ElasticDash? <AuthSwitchLink href="/signup">Create an account</AuthSwitchLink>
      </p>
    </>
  );
}
