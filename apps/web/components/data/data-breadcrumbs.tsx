import Link from 'next/link';
import { ChevronRight } from 'lucide-react';

export interface Crumb {
  label: string;
  href?: string;
}

/** Data › connection › table: where this page sits, each step a link back. */
export function DataBreadcrumbs({ items }: { items: readonly Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 min-w-0">
      <ol className="flex min-w-0 flex-wrap items-center gap-1 text-sm text-fg-muted">
        {items.map((item, index) => (
          <li key={`${item.label}-${index}`} className="flex min-w-0 items-center gap-1">
            {index > 0 ? <ChevronRight className="size-3.5 shrink-0" aria-hidden /> : null}
            {item.href ? (
              <Link href={item.href} className="truncate rounded hover:text-fg hover:underline">
                {item.label}
              </Link>
            ) : (
              <span aria-current="page" className="truncate text-fg">
                {item.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function dataHref(tenantId: string, connectionId?: string, schema?: string, table?: string): string {
  let href = `/app/${tenantId}/data`;
  if (connectionId) href += `/${encodeURIComponent(connectionId)}`;
  if (connectionId && schema && table) href += `/${encodeURIComponent(schema)}/${encodeURIComponent(table)}`;
  return href;
}
