'use client';

import { useMemo, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, Search, Shield } from 'lucide-react';
import type { TCatalogTable } from '@elasticdash/contracts/data/catalog';
import { ZTableRulesResponse, type TPutTableRulesRequest, type TTableRule } from '@elasticdash/contracts/data/rules';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage, isApiError, type TFieldError } from '@/lib/api';
import { connectionPath, dataKeys, useCatalog } from '@/lib/data/api';

interface TFlags {
  hidden: boolean;
  readOnly: boolean;
}

interface TDraftRule extends TFlags {
  schema: string;
  table: string;
  columns: Record<string, TFlags>;
}

type TDraft = Record<string, TDraftRule>;

const NO_FLAGS: TFlags = { hidden: false, readOnly: false };

export const rulesKey = (tenantId: string, connectionId: string) =>
  ['tenant', tenantId, 'connections', connectionId, 'rules'] as const;

function keyOf(schema: string, table: string): string {
  return `${schema}.${table}`;
}

function draftFromRules(rules: TTableRule[]): TDraft {
  const draft: TDraft = {};
  for (const rule of rules) {
    const columns: Record<string, TFlags> = {};
    for (const column of rule.columns) columns[column.name] = { hidden: column.hidden, readOnly: column.readOnly };
    draft[keyOf(rule.schema, rule.table)] = {
      schema: rule.schema,
      table: rule.table,
      hidden: rule.hidden,
      readOnly: rule.readOnly,
      columns,
    };
  }
  return draft;
}

/** Only tables (and columns) with any rule set; the server replaces the whole set. */
function requestFromDraft(draft: TDraft): TPutTableRulesRequest {
  const rules: TTableRule[] = [];
  for (const rule of Object.values(draft)) {
    const columns = Object.entries(rule.columns)
      .filter(([, flags]) => flags.hidden || flags.readOnly)
      .map(([name, flags]) => ({ name, hidden: flags.hidden, readOnly: flags.readOnly }))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (!rule.hidden && !rule.readOnly && columns.length === 0) continue;
    rules.push({ schema: rule.schema, table: rule.table, hidden: rule.hidden, readOnly: rule.readOnly, columns });
  }
  return { rules: rules.sort((a, b) => keyOf(a.schema, a.table).localeCompare(keyOf(b.schema, b.table))) };
}

/** `rules.3.columns.1.name` → `public.orders · email: …` using the request that was sent. */
function describeIssue(issue: TFieldError, sent: TPutTableRulesRequest | null): string {
  const match = /^rules\.(\d+)(?:\.columns\.(\d+))?/.exec(issue.path);
  const rule = match?.[1] !== undefined ? sent?.rules[Number(match[1])] : undefined;
  if (!rule) return issue.path === '(root)' ? issue.message : `${issue.path}: ${issue.message}`;
  const column = match?.[2] !== undefined ? rule.columns[Number(match[2])] : undefined;
  const where = column ? `${rule.schema}.${rule.table} · ${column.name}` : `${rule.schema}.${rule.table}`;
  return `${where}: ${issue.message}`;
}

function Toggle({
  label,
  checked,
  onChange,
  children,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="flex shrink-0 items-center gap-1.5 text-xs text-fg-muted">
      <input
        type="checkbox"
        className="accent-[var(--accent)]"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-label={label}
      />
      {children}
    </label>
  );
}

function TableRules({
  table,
  rule,
  expanded,
  onToggleExpanded,
  onTable,
  onColumn,
}: {
  table: TCatalogTable;
  rule: TDraftRule | undefined;
  expanded: boolean;
  onToggleExpanded: () => void;
  onTable: (flags: Partial<TFlags>) => void;
  onColumn: (column: string, flags: Partial<TFlags>) => void;
}) {
  const name = keyOf(table.schema, table.name);
  const columnRules = rule ? Object.values(rule.columns).filter((flags) => flags.hidden || flags.readOnly).length : 0;
  const Chevron = expanded ? ChevronDown : ChevronRight;
  return (
    <li data-testid="rules-table" data-rule-table={name} className="border-b border-border last:border-0">
      <div className="flex flex-wrap items-center gap-3 px-4 py-2.5 sm:px-6">
        <button
          type="button"
          className="flex min-w-0 flex-1 items-center gap-2 text-left font-medium text-fg hover:underline"
          aria-expanded={expanded}
          onClick={onToggleExpanded}
        >
          <Chevron className="size-4 shrink-0 text-fg-muted" aria-hidden />
          <span className="truncate">{name}</span>
          {columnRules > 0 ? (
            <Badge variant="neutral">
              {columnRules} column {columnRules === 1 ? 'rule' : 'rules'}
            </Badge>
          ) : null}
        </button>
        <Toggle label={`Hide table ${name}`} checked={rule?.hidden ?? false} onChange={(hidden) => onTable({ hidden })}>
          Hide table
        </Toggle>
        <Toggle
          label={`Read-only table ${name}`}
          checked={rule?.readOnly ?? false}
          onChange={(readOnly) => onTable({ readOnly })}
        >
          Read-only table
        </Toggle>
      </div>
      {expanded ? (
        <ul className="mb-2 ml-10 mr-4 rounded-md border border-border sm:mr-6" aria-label={`Columns of ${name}`}>
          {table.columns.map((column) => {
            const flags = rule?.columns[column.name] ?? NO_FLAGS;
            return (
              <li
                key={column.name}
                data-testid="rules-column"
                data-column={column.name}
                className="flex flex-wrap items-center gap-3 border-b border-border px-3 py-1.5 last:border-0"
              >
                <span className="min-w-0 flex-1 truncate text-sm text-fg">
                  {column.name}{' '}
                  <span className="font-mono text-xs text-fg-muted">
                    {column.dataType}
                    {column.primaryKeyPosition !== null ? ' · key' : ''}
                  </span>
                </span>
                <Toggle
                  label={`Hide column ${column.name} of ${name}`}
                  checked={flags.hidden}
                  onChange={(hidden) => onColumn(column.name, { hidden })}
                >
                  Hidden
                </Toggle>
                <Toggle
                  label={`Read-only column ${column.name} of ${name}`}
                  checked={flags.readOnly}
                  onChange={(readOnly) => onColumn(column.name, { readOnly })}
                >
                  Read-only
                </Toggle>
              </li>
            );
          })}
        </ul>
      ) : null}
    </li>
  );
}

/** Admins: which tables and columns members cannot see or write. Renders nothing for others. */
export function RulesEditor({ connectionId }: { connectionId: string }) {
  const { tenant } = useCurrentTenant();
  if (!hasRole(tenant.role, 'admin')) return null;
  return <RulesEditorInner connectionId={connectionId} />;
}

function RulesEditorInner({ connectionId }: { connectionId: string }) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const catalog = useCatalog(tenantId, connectionId);
  const rules = useQuery({
    queryKey: rulesKey(tenantId, connectionId),
    queryFn: ({ signal }) =>
      api(connectionPath(connectionId, '/rules'), { schema: ZTableRulesResponse, tenantId, signal }),
    refetchOnWindowFocus: false,
  });
  /** null: no unsaved edits (shows the server's rules). */
  const [edits, setEdits] = useState<TDraft | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [search, setSearch] = useState('');
  const [sent, setSent] = useState<TPutTableRulesRequest | null>(null);

  const saved = useMemo(() => (rules.data ? draftFromRules(rules.data.rules) : null), [rules.data]);
  const draft = edits ?? saved;
  const dirty = useMemo(
    () =>
      edits !== null &&
      saved !== null &&
      JSON.stringify(requestFromDraft(edits)) !== JSON.stringify(requestFromDraft(saved)),
    [edits, saved],
  );

  const save = useMutation({
    mutationFn: (body: TPutTableRulesRequest) =>
      api(connectionPath(connectionId, '/rules'), { method: 'PUT', body, tenantId, schema: ZTableRulesResponse }),
    onMutate: (body) => setSent(body),
    onSuccess: async (data) => {
      queryClient.setQueryData(rulesKey(tenantId, connectionId), data);
      setEdits(null);
      toast({
        variant: 'success',
        title: 'Access rules saved',
        description: `${data.rules.length} ${data.rules.length === 1 ? 'table has' : 'tables have'} rules`,
      });
      await queryClient.invalidateQueries({ queryKey: dataKeys.catalog(tenantId, connectionId) });
    },
    onError: (error) => {
      if (isApiError(error, 400) && error.issues.length > 0) return;
      toast({ variant: 'danger', title: 'Could not save the rules', description: errorMessage(error) });
    },
  });

  function update(schema: string, table: string, change: (rule: TDraftRule) => TDraftRule) {
    const base = draft ?? {};
    const key = keyOf(schema, table);
    const current = base[key] ?? { schema, table, hidden: false, readOnly: false, columns: {} };
    setEdits({ ...base, [key]: change(current) });
  }

  const tables = useMemo(() => {
    const term = search.trim().toLowerCase();
    return (catalog.data?.tables ?? [])
      .filter((table) => !term || keyOf(table.schema, table.name).toLowerCase().includes(term))
      .sort((a, b) => keyOf(a.schema, a.name).localeCompare(keyOf(b.schema, b.name)));
  }, [catalog.data, search]);

  const issues = save.isError && isApiError(save.error, 400) ? save.error.issues : [];

  return (
    <Card className="mt-6" data-testid="rules-editor">
      <CardHeader
        id="access-rules"
        title="Access rules"
        description="Hide tables or columns from members and viewers, or make them read-only. Admins still see everything."
        actions={
          <>
            {dirty ? (
              <Button variant="ghost" onClick={() => setEdits(null)} disabled={save.isPending}>
                Discard
              </Button>
            ) : null}
            <Button
              onClick={() => draft && save.mutate(requestFromDraft(draft))}
              loading={save.isPending}
              disabled={!dirty || save.isPending}
            >
              Save rules
            </Button>
          </>
        }
      />
      {issues.length > 0 ? (
        <div className="border-b border-border px-4 py-3 sm:px-6">
          <Alert variant="danger" title={save.error ? errorMessage(save.error) : 'The rules were not saved'}>
            <ul className="list-disc pl-4" data-testid="rules-errors">
              {issues.map((issue, index) => (
                <li key={`${issue.path}-${index}`}>{describeIssue(issue, sent)}</li>
              ))}
            </ul>
          </Alert>
        </div>
      ) : null}
      {catalog.isPending || rules.isPending ? (
        <div className="flex flex-col gap-2 p-4 sm:p-6" role="status" aria-label="Loading access rules">
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} className="h-9 w-full" />
          ))}
        </div>
      ) : rules.isError ? (
        <ErrorState error={rules.error} title="Could not load the rules" onRetry={() => void rules.refetch()} />
      ) : catalog.isError ? (
        <ErrorState error={catalog.error} title="Could not read the tables" onRetry={() => void catalog.refetch()} />
      ) : catalog.data.tables.length === 0 ? (
        <EmptyState icon={Shield} title="No tables" description="There is nothing to set rules on yet." />
      ) : (
        <>
          <div className="border-b border-border px-4 py-3 sm:px-6">
            <div className="relative min-w-0 sm:max-w-sm">
              <Search
                className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-fg-muted"
                aria-hidden
              />
              <Input
                type="search"
                aria-label="Filter tables for rules"
                placeholder="Filter tables"
                className="pl-9"
                value={search}
                onChange={(event) => setSearch(event.target.value)}
              />
            </div>
          </div>
          {tables.length === 0 ? (
            <EmptyState icon={Search} title="No table matches" description={`Nothing is named like “${search}”.`} />
          ) : (
            <ul>
              {tables.map((table) => {
                const key = keyOf(table.schema, table.name);
                return (
                  <TableRules
                    key={key}
                    table={table}
                    rule={draft?.[key]}
                    expanded={expanded.has(key)}
                    onToggleExpanded={() =>
                      setExpanded((previous) => {
                        const next = new Set(previous);
                        if (next.has(key)) next.delete(key);
                        else next.add(key);
                        return next;
                      })
                    }
                    onTable={(flags) => update(table.schema, table.name, (rule) => ({ ...rule, ...flags }))}
                    onColumn={(column, flags) =>
                      update(table.schema, table.name, (rule) => ({
                        ...rule,
                        columns: { ...rule.columns, [column]: { ...(rule.columns[column] ?? NO_FLAGS), ...flags } },
                      }))
                    }
                  />
                );
              })}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}
