'use client';

import { useMemo, type ReactNode } from 'react';
import ReactGridLayout, { useContainerWidth, verticalCompactor, type Layout } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import { GripVertical, MoreHorizontal, Pencil, Copy, Trash2, MoveHorizontal, MoveVertical } from 'lucide-react';
import type { TPanel, TPanelLayout } from '@elasticdash/contracts/datasets/dashboard';
import type { TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import type { TDatasetFilter } from '@elasticdash/contracts/datasets/query';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { applyGridLayout, GRID_COLS } from '@/lib/datasets/layout';
import { PANEL_TYPE_LABELS } from '@/lib/datasets/panel-query';
import { PanelBody } from './panel-body';

const ROW_HEIGHT = 40;
/** Below this width the 12 columns are too narrow: panels stack, full width, in layout order. */
const STACK_BELOW = 640;

export interface TPanelActions {
  onEdit: (panel: TPanel) => void;
  onDuplicate: (panel: TPanel) => void;
  onRemove: (panel: TPanel) => void;
  /** Keyboard alternative to drag and resize. */
  onNudge: (panel: TPanel, change: Partial<TPanelLayout>) => void;
}

function PanelCard({
  panel,
  canWrite,
  movable,
  actions,
  children,
}: {
  panel: TPanel;
  canWrite: boolean;
  /** Shows the drag grip (not on the stacked phone layout, which cannot be dragged). */
  movable: boolean;
  actions: TPanelActions;
  children: ReactNode;
}) {
  const headingId = `panel-title-${panel.id}`;
  const { x, w, h } = panel.layout;
  return (
    <section
      aria-labelledby={headingId}
      className="flex h-full flex-col overflow-hidden rounded-lg border border-border bg-surface shadow-[var(--shadow)]"
      data-testid="dashboard-panel"
      data-panel-id={panel.id}
      data-panel-title={panel.title}
      data-panel-type={panel.type}
    >
      <header className="flex h-10 shrink-0 items-center gap-1 border-b border-border pr-1 pl-2">
        {movable ? (
          <span
            className="panel-drag-handle flex size-7 cursor-grab items-center justify-center rounded text-fg-muted hover:bg-muted active:cursor-grabbing"
            title="Drag to move"
            aria-hidden
          >
            <GripVertical className="size-4" />
          </span>
        ) : null}
        <h3 id={headingId} className="min-w-0 flex-1 truncate text-sm font-medium text-fg" data-testid="panel-title">
          {panel.title}
        </h3>
        {canWrite ? (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button
                variant="ghost"
                size="icon-sm"
                aria-label={`Actions for ${panel.title}`}
                data-testid="panel-actions"
              >
                <MoreHorizontal aria-hidden />
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuItem onSelect={() => actions.onEdit(panel)}>
                <Pencil aria-hidden /> Edit panel…
              </DropdownMenuItem>
              <DropdownMenuItem onSelect={() => actions.onDuplicate(panel)}>
                <Copy aria-hidden /> Duplicate
              </DropdownMenuItem>
              <DropdownMenuSeparator />
              <DropdownMenuLabel>Position and size</DropdownMenuLabel>
              <DropdownMenuItem disabled={x === 0} onSelect={() => actions.onNudge(panel, { x: x - 1 })}>
                <MoveHorizontal aria-hidden /> Move left
              </DropdownMenuItem>
              <DropdownMenuItem disabled={x + w >= GRID_COLS} onSelect={() => actions.onNudge(panel, { x: x + 1 })}>
                <MoveHorizontal aria-hidden /> Move right
              </DropdownMenuItem>
              <DropdownMenuItem
                disabled={w >= GRID_COLS}
                onSelect={() => actions.onNudge(panel, { w: w + 1, x: Math.min(x, GRID_COLS - w - 1) })}
              >
                <MoveHorizontal aria-hidden /> Wider
              </DropdownMenuItem>
              <DropdownMenuItem disabled={w <= 2} onSelect={() => actions.onNudge(panel, { w: w - 1 })}>
                <MoveHorizontal aria-hidden /> Narrower
              </DropdownMenuItem>
              <DropdownMenuItem disabled={h >= 40} onSelect={() => actions.onNudge(panel, { h: h + 1 })}>
                <MoveVertical aria-hidden /> Taller
              </DropdownMenuItem>
              <DropdownMenuItem disabled={h <= 2} onSelect={() => actions.onNudge(panel, { h: h - 1 })}>
                <MoveVertical aria-hidden /> Shorter
              </DropdownMenuItem>
              <DropdownMenuSeparator />
              <DropdownMenuItem variant="danger" onSelect={() => actions.onRemove(panel)}>
                <Trash2 aria-hidden /> Remove panel
              </DropdownMenuItem>
            </DropdownMenuContent>
          </DropdownMenu>
        ) : (
          <span className="px-2 text-xs text-fg-muted">{PANEL_TYPE_LABELS[panel.type]}</span>
        )}
      </header>
      <div className="min-h-0 flex-1">{children}</div>
    </section>
  );
}

/**
 * The 12-column grid (react-grid-layout v2): editors drag panels by their grip and resize them
 * from the corner; every change comes back through onLayoutChange. Viewers get the same layout,
 * fixed. Narrow screens stack the panels.
 */
export function PanelGrid({
  panels,
  canWrite,
  datasetId,
  version,
  columns,
  dashboardFilters,
  actions,
  onPanelsChange,
}: {
  panels: readonly TPanel[];
  canWrite: boolean;
  datasetId: string;
  version: number;
  columns: readonly TDatasetColumn[];
  dashboardFilters: readonly TDatasetFilter[];
  actions: TPanelActions;
  onPanelsChange: (update: (panels: readonly TPanel[]) => readonly TPanel[]) => void;
}) {
  const { width, containerRef, mounted } = useContainerWidth();
  const layout = useMemo<Layout>(
    () => panels.map((panel) => ({ i: panel.id, ...panel.layout, minW: 2, minH: 2 })),
    [panels],
  );
  const body = (panel: TPanel) => (
    <PanelBody
      panel={panel}
      datasetId={datasetId}
      version={version}
      columns={columns}
      dashboardFilters={dashboardFilters}
    />
  );

  return (
    <div ref={containerRef} className="w-full" data-testid="dashboard-grid">
      {!mounted ? null : width < STACK_BELOW ? (
        <div className="flex flex-col gap-3">
          {[...panels]
            .sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x)
            .map((panel) => (
              <div key={panel.id} style={{ height: Math.max(160, panel.layout.h * ROW_HEIGHT) }}>
                <PanelCard panel={panel} canWrite={canWrite} movable={false} actions={actions}>
                  {body(panel)}
                </PanelCard>
              </div>
            ))}
        </div>
      ) : (
        <ReactGridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: GRID_COLS, rowHeight: ROW_HEIGHT, margin: [12, 12], containerPadding: [0, 0] }}
          dragConfig={{ enabled: canWrite, handle: '.panel-drag-handle', bounded: false }}
          resizeConfig={{ enabled: canWrite, handles: ['se'] }}
          compactor={verticalCompactor}
          onLayoutChange={(next) => {
            if (canWrite) onPanelsChange((current) => applyGridLayout(current, next));
          }}
        >
          {panels.map((panel) => (
            <div key={panel.id}>
              <PanelCard panel={panel} canWrite={canWrite} movable={canWrite} actions={actions}>
                {body(panel)}
              </PanelCard>
            </div>
          ))}
        </ReactGridLayout>
      )}
    </div>
  );
}
