'use client';

import { IntentLink } from './intent-link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/cn';
import { Logo } from '@/components/logo';
import { HOME_NAV, PRODUCT_NAV, WORKSPACE_NAV, sectionOf, workspacePath, type NavItem } from './nav-items';
import { useCurrentTenant } from './tenant-context';
import { WorkspaceSwitcher } from './workspace-switcher';

function NavLink({
  item,
  active,
  href,
  onNavigate,
}: {
  item: NavItem;
  active: boolean;
  href: string;
  onNavigate?: () => void;
}) {
  const Icon = item.icon;
  return (
    <IntentLink
      href={href}
      onClick={onNavigate}
      aria-current={active ? 'page' : undefined}
      className={cn(
        'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors',
        active ? 'bg-accent-soft text-accent-text' : 'text-fg-muted hover:bg-muted hover:text-fg',
      )}
    >
      <Icon className="size-4 shrink-0" aria-hidden />
      {item.label}
    </IntentLink>
  );
}

/** Logo, workspace switcher and navigation; the same content in the desktop rail and the mobile drawer. */
export function SidebarContent({ onNavigate }: { onNavigate?: () => void }) {
  const { tenantId } = useCurrentTenant();
  const section = sectionOf(usePathname());
  return (
    <div className="flex h-full flex-col gap-4 p-4">
      <IntentLink
        href={workspacePath(tenantId)}
        onClick={onNavigate}
        className="self-start rounded-md"
        aria-label="Workspace overview"
      >
        <Logo />
      </IntentLink>
      <WorkspaceSwitcher onNavigate={onNavigate} />
      <nav aria-label="Workspace" className="flex flex-1 flex-col gap-6 overflow-y-auto">
        <ul className="flex flex-col gap-1">
          <li>
            <NavLink item={HOME_NAV} href={workspacePath(tenantId)} active={section === ''} onNavigate={onNavigate} />
          </li>
          {PRODUCT_NAV.map((item) => (
            <li key={item.segment}>
              <NavLink
                item={item}
                href={workspacePath(tenantId, item.segment)}
                active={section === item.segment}
                onNavigate={onNavigate}
              />
            </li>
          ))}
        </ul>
        <div>
          <p className="px-3 pb-2 text-xs font-medium tracking-wide text-fg-muted uppercase">Workspace</p>
          <ul className="flex flex-col gap-1">
            {WORKSPACE_NAV.map((item) => (
              <li key={item.segment}>
                <NavLink
                  item={item}
                  href={workspacePath(tenantId, item.segment)}
                  active={section === item.segment}
                  onNavigate={onNavigate}
                />
              </li>
            ))}
          </ul>
        </div>
      </nav>
    </div>
  );
}
