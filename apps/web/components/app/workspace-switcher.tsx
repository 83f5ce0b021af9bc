'use client';

import { useState } from 'react';
import { usePathname, useRouter } from 'next/navigation';
import { Check, ChevronsUpDown, Plus } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Loading } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api';
import { useTenants } from '@/lib/queries';
import { ROLE_LABELS } from '@/lib/roles';
import { CreateWorkspaceDialog } from './create-workspace';
import { sectionOf, workspacePath } from './nav-items';
import { useCurrentTenant } from './tenant-context';

/**
 * Switching workspace changes this tab's URL only: another tab keeps its own workspace.
 * The section (members, settings, …) is kept when switching.
 */
export function WorkspaceSwitcher({ onNavigate }: { onNavigate?: () => void }) {
  const { tenant } = useCurrentTenant();
  // The list is only needed once the menu is about to open: fetched on hover, focus or open.
  const [wanted, setWanted] = useState(false);
  const tenants = useTenants(wanted);
  const router = useRouter();
  const pathname = usePathname();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <DropdownMenu onOpenChange={(open) => open && setWanted(true)}>
        <DropdownMenuTrigger
          onPointerEnter={() => setWanted(true)}
          onFocus={() => setWanted(true)}
          className="flex w-full items-center gap-2 rounded-md border border-border bg-bg px-3 py-2 text-left hover:bg-muted"
          data-testid="workspace-switcher"
        >
          <span
            aria-hidden
            className="flex size-7 shrink-0 items-center justify-center rounded bg-accent-soft text-xs font-semibold text-accent-text uppercase"
          >
            {tenant.name.slice(0, 2)}
          </span>
          <span className="min-w-0 flex-1">
            <span className="sr-only">Switch workspace. Current: </span>
            <span className="block truncate text-sm font-medium text-fg">{tenant.name}</span>
            <span className="block text-xs text-fg-muted">{ROLE_LABELS[tenant.role]}</span>
          </span>
          <ChevronsUpDown className="size-4 shrink-0 text-fg-muted" aria-hidden />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-[var(--radix-dropdown-menu-trigger-width)] min-w-64">
          <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
          {tenants.isPending && wanted ? <Loading className="px-2 py-2" label="Loading workspaces…" /> : null}
          {tenants.isError ? (
            <p role="alert" className="px-2 py-2 text-sm text-danger-text">
              {errorMessage(tenants.error)}
            </p>
          ) : null}
          {tenants.data?.map((other) => (
            <DropdownMenuItem
              key={other.id}
              onSelect={() => {
                onNavigate?.();
                if (other.id !== tenant.id) router.push(workspacePath(other.id, sectionOf(pathname)));
              }}
            >
              <span className="min-w-0 flex-1 truncate">{other.name}</span>
              <Badge variant="outline">{ROLE_LABELS[other.role]}</Badge>
              {other.id === tenant.id ? <Check aria-label="Current workspace" /> : <span className="size-4" />}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus aria-hidden /> Create workspace
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <CreateWorkspaceDialog
        open={creating}
        onOpenChange={(open) => {
          setCreating(open);
          if (!open) onNavigate?.();
        }}
      />
    </>
  );
}
