'use client';

import * as Menu from '@radix-ui/react-dropdown-menu';
import { Check, Columns3, RotateCcw } from 'lucide-react';
import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';

/** Show/hide columns (menu stays open while toggling), and reset the table's layout. */
export function ColumnsMenu({
  columns,
  visible,
  onToggle,
  onShowAll,
  onReset,
}: {
  columns: readonly TCatalogColumn[];
  visible: readonly string[];
  onToggle: (name: string) => void;
  onShowAll: () => void;
  onReset: () => void;
}) {
  const shown = new Set(visible);
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm" aria-label="Columns">
          <Columns3 aria-hidden />
          <span className="hidden md:inline">Columns</span>
          {visible.length < columns.length ? (
            <span className="text-xs text-fg-muted tabular-nums">
              {visible.length}/{columns.length}
            </span>
          ) : null}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="max-h-96 min-w-60">
        <DropdownMenuLabel>Visible columns</DropdownMenuLabel>
        {columns.map((column) => (
          <Menu.CheckboxItem
            key={column.name}
            checked={shown.has(column.name)}
            disabled={shown.has(column.name) && visible.length <= 1}
            onSelect={(event) => {
              event.preventDefault();
              onToggle(column.name);
            }}
            className="relative flex cursor-default items-center gap-2 rounded-sm py-1.5 pr-2 pl-8 text-sm text-fg outline-none select-none data-[disabled]:opacity-50 data-[highlighted]:bg-muted"
          >
            <span className="absolute left-2 flex size-4 items-center justify-center">
              <Menu.ItemIndicator>
                <Check className="size-4 text-accent-text" aria-hidden />
              </Menu.ItemIndicator>
            </span>
            <span className="truncate">{column.name}</span>
            <span className="ml-auto pl-2 font-mono text-[11px] text-fg-muted">{column.kind}</span>
          </Menu.CheckboxItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={onShowAll}>
          <Columns3 aria-hidden /> Show all columns
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={onReset}>
          <RotateCcw aria-hidden /> Reset order and widths
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
