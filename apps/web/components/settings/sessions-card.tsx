'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Laptop } from 'lucide-react';
import type { TSessionSummary } from '@elasticdash/contracts/auth/session';
import { useLogout } from '@/components/app/use-logout';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api';
import { queryKeys, useSessions } from '@/lib/queries';
import { describeUserAgent } from './user-agent';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function RevokeButton({ session }: { session: TSessionSummary }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const logout = useLogout();
  const revoke = useMutation({
    mutationFn: () => api(`/me/sessions/${session.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      toast({ variant: 'success', title: 'Session revoked', description: 'That device is signed out.' });
      await queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
    },
    onError: (error) =>
      toast({ variant: 'danger', title: 'Could not revoke the session', description: errorMessage(error) }),
  });
  if (session.current) {
    return (
      <Button variant="outline" size="sm" onClick={() => logout.mutate()} loading={logout.isPending}>
        Log out
      </Button>
    );
  }
  return (
    <Button
      variant="danger-ghost"
      size="sm"
      onClick={() => revoke.mutate()}
      loading={revoke.isPending}
      aria-label={`Revoke session: ${describeUserAgent(session.userAgent)}, last active ${dateTime.format(new Date(session.lastSeenAt))}`}
    >
      Revoke
    </Button>
  );
}

export function SessionsCard() {
  const sessions = useSessions();
  return (
    <Card>
      <CardHeader
        title="Sessions"
        id="sessions-title"
        description="Devices signed in to your account. Revoke any you do not recognise."
      />
      {sessions.isPending ? (
        <div className="flex flex-col gap-3 p-4 sm:p-6" role="status" aria-label="Loading sessions">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} title="Could not load sessions" onRetry={() => void sessions.refetch()} />
      ) : sessions.data.length === 0 ? (
        <EmptyState icon={Laptop} title="No active sessions" />
      ) : (
        <Table aria-labelledby="sessions-title" data-testid="sessions-table">
          <TableCaption>Your active sessions</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Device</TableHead>
              <TableHead className="hidden sm:table-cell">Last active</TableHead>
              <TableHead className="hidden lg:table-cell">Signed in</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {sessions.data.map((session) => (
              <TableRow key={session.id} data-testid="session-row" data-current={session.current}>
                <TableCell>
                  <div className="flex flex-col">
                    <span className="flex flex-wrap items-center gap-2 font-medium">
                      {describeUserAgent(session.userAgent)}
                      {session.current ? <Badge variant="accent">This device</Badge> : null}
                    </span>
                    <span className="text-xs text-fg-muted">{session.ip ?? 'Unknown IP'}</span>
                  </div>
                </TableCell>
                <TableCell className="hidden text-fg-muted sm:table-cell">
                  {dateTime.format(new Date(session.lastSeenAt))}
                </TableCell>
                <TableCell className="hidden text-fg-muted lg:table-cell">
                  {dateTime.format(new Date(session.createdAt))}
                </TableCell>
                <TableCell className="text-right">
                  <RevokeButton session={session} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
