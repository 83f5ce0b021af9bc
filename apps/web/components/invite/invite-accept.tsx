'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MailOpen, SearchX } from 'lucide-react';
import { ZInvitationPreviewResponse } from '@elasticdash/contracts/tenants/invitation';
import { ZTenantResponse } from '@elasticdash/contracts/tenants/tenant';
import { workspacePath } from '@/components/app/nav-items';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardBody } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { FormError } from '@/components/ui/field';
import { Loading } from '@/components/ui/skeleton';
import { api, errorMessage, isApiError } from '@/lib/api';
import { queryKeys, useMe } from '@/lib/queries';
import { ROLE_BADGE, ROLE_DESCRIPTIONS, ROLE_LABELS } from '@/lib/roles';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

function SignInFirst({ token }: { token: string }) {
  const next = encodeURIComponent(`/invite/${token}`);
  return (
    <Card>
      <EmptyState
        as="h1"
        icon={MailOpen}
        title="You have been invited to ElasticDash"
        description="Log in, or create an account with the email address the invitation was sent to, to see and accept it."
        action={
          <div className="flex flex-wrap justify-center gap-2">
            <Button asChild>
              <Link href={`/signup?next=${next}`}>Create an account</Link>
            </Button>
            <Button asChild variant="outline">
              <Link href={`/login?next=${next}`}>Log in</Link>
            </Button>
          </div>
        }
      />
    </Card>
  );
}

export function InviteAccept({ token }: { token: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useMe({ redirectOn401: false });
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: ({ signal }) =>
      api(`/invitations/by-token/${encodeURIComponent(token)}`, { schema: ZInvitationPreviewResponse, signal }),
    enabled: me.isSuccess,
    staleTime: Infinity,
  });
  const accept = useMutation({
    mutationFn: () => api('/invitations/accept', { method: 'POST', body: { token }, schema: ZTenantResponse }),
    onSuccess: async ({ tenant }) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.tenants });
      router.push(workspacePath(tenant.id));
    },
  });
  const logoutAndSwitch = useMutation({
    mutationFn: () => api('/auth/logout', { method: 'POST', redirectOn401: false }),
    onSettled: () => {
      queryClient.clear();
      window.location.assign(`/login?next=${encodeURIComponent(`/invite/${token}`)}`);
    },
  });

  if (me.isPending) return <Loading label="Checking your session…" />;
  if (me.isError) {
    if (isApiError(me.error, 401)) return <SignInFirst token={token} />;
    return <ErrorState error={me.error} title="Could not check your session" onRetry={() => void me.refetch()} />;
  }
  if (preview.isPending) return <Loading label="Opening the invitation…" />;
  if (preview.isError) {
    if (isApiError(preview.error, 404) || isApiError(preview.error, 400)) {
      return (
        <Card>
          <EmptyState
            as="h1"
            icon={SearchX}
            title="This invitation cannot be used"
            description={errorMessage(preview.error)}
            action={
              <Button asChild variant="outline">
                <Link href="/app">Go to my workspaces</Link>
              </Button>
            }
          />
        </Card>
      );
    }
    return (
      <ErrorState error={preview.error} title="Could not open the invitation" onRetry={() => void preview.refetch()} />
    );
  }

  const invitation = preview.data;
  const otherAddress = invitation.email.toLowerCase() !== me.data.email.toLowerCase();
  return (
    <Card>
      <CardBody className="flex flex-col gap-5 py-6">
        <div>
          <p className="text-sm text-fg-muted">You are invited to join</p>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight break-words text-fg">{invitation.tenantName}</h1>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-fg-muted">Role</dt>
          <dd>
            <Badge variant={ROLE_BADGE[invitation.role]}>{ROLE_LABELS[invitation.role]}</Badge>
            <span className="ml-2 text-fg-muted">{ROLE_DESCRIPTIONS[invitation.role]}</span>
          </dd>
          <dt className="text-fg-muted">Sent to</dt>
          <dd className="break-all text-fg">{invitation.email}</dd>
          <dt className="text-fg-muted">Expires</dt>
          <dd className="text-fg">{dateFormat.format(new Date(invitation.expiresAt))}</dd>
        </dl>
        {otherAddress ? (
          <Alert variant="danger" title="This invitation is for another email address">
            You are signed in as {me.data.email}. Log in as {invitation.email} to accept it.
          </Alert>
        ) : null}
        <FormError message={accept.error ? errorMessage(accept.error) : null} />
        <div className="flex flex-wrap gap-2">
          {otherAddress ? (
            <Button onClick={() => logoutAndSwitch.mutate()} loading={logoutAndSwitch.isPending}>
              Log in with another account
            </Button>
          ) : (
            <Button onClick={() => accept.mutate()} loading={accept.isPending || accept.isSuccess}>
              Accept and join
            </Button>
          )}
          <Button asChild variant="outline">
            <Link href="/app">Not now</Link>
          </Button>
        </div>
      </CardBody>
    </Card>
  );
}
