'use client';

import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useRef, useState, type CSSProperties, type PointerEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  ReactFlow,
  useReactFlow,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { Database, GripVertical, MousePointerClick } from 'lucide-react';
import type { TCanvasPosition, TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { cn } from '@/lib/cn';
import type { TPlanIssues } from '@/lib/plans/issues';
import { NODE_WIDTH, PostgresNode, type TPostgresNode } from './postgres-node';

const nodeTypes: NodeTypes = { postgresql: PostgresNode };

/** The canvas in the app's colours (light and dark come from the CSS variables). */
const flowStyle = {
  '--xy-background-color': 'var(--bg)',
  '--xy-background-pattern-color': 'var(--border-strong)',
  '--xy-controls-button-background-color': 'var(--surface)',
  '--xy-controls-button-background-color-hover': 'var(--surface-2)',
  '--xy-controls-button-color': 'var(--fg)',
  '--xy-controls-button-color-hover': 'var(--fg)',
  '--xy-controls-button-border-color': 'var(--border)',
  '--xy-attribution-background-color': 'transparent',
} as CSSProperties;

/** Pixels the pointer must travel before a press on the palette becomes a drag (otherwise: a click). */
const DRAG_THRESHOLD = 4;

interface TDragState {
  pointerId: number;
  startX: number;
  startY: number;
  x: number;
  y: number;
  active: boolean;
}

/**
 * The palette's PostgreSQL tile. Dragging it onto the canvas drops a node where it is released
 * (pointer events, so it also works with touch); clicking it, or Enter/Space, adds one in the
 * middle of the view: the keyboard way.
 */
function PaletteTile({
  onDrop,
  onActivate,
}: {
  onDrop: (point: { x: number; y: number }) => void;
  onActivate: () => void;
}) {
  const [drag, setDrag] = useState<TDragState | null>(null);
  const justDragged = useRef(false);

  function onPointerDown(event: PointerEvent<HTMLButtonElement>) {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    setDrag({
      pointerId: event.pointerId,
      startX: event.clientX,
      startY: event.clientY,
      x: event.clientX,
      y: event.clientY,
      active: false,
    });
  }

  function onPointerMove(event: PointerEvent<HTMLButtonElement>) {
    if (!drag || drag.pointerId !== event.pointerId) return;
    const moved = Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY);
    setDrag({ ...drag, x: event.clientX, y: event.clientY, active: drag.active || moved > DRAG_THRESHOLD });
  }

  function onPointerUp(event: PointerEvent<HTMLButtonElement>) {
    if (!drag || drag.pointerId !== event.pointerId) return;
    if (drag.active) {
      justDragged.current = true;
      onDrop({ x: event.clientX, y: event.clientY });
    }
    setDrag(null);
  }

  return (
    <>
      <button
        type="button"
        data-testid="palette-postgresql"
        aria-label="Add PostgreSQL"
        aria-describedby="palette-hint"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
        onClick={() => {
          // The click that ends a drag is not an "add in the middle".
          if (justDragged.current) {
            justDragged.current = false;
            return;
          }
          onActivate();
        }}
        className={cn(
          'flex w-full touch-none items-center gap-2 rounded-md border border-border-strong/60 bg-surface px-2.5 py-2 text-left text-sm font-medium text-fg shadow-sm select-none hover:border-accent hover:bg-accent-soft',
          drag?.active ? 'cursor-grabbing opacity-60' : 'cursor-grab',
        )}
      >
        <GripVertical className="size-4 shrink-0 text-fg-muted" aria-hidden />
        <Database className="size-4 shrink-0 text-accent-text" aria-hidden />
        <span>PostgreSQL</span>
      </button>
      {drag?.active ? (
        <div
          aria-hidden
          className="pointer-events-none fixed z-[60] flex items-center gap-2 rounded-md border border-accent bg-surface px-3 py-2 text-sm font-medium text-fg shadow-xl"
          style={{ left: drag.x, top: drag.y, transform: 'translate(-50%, -50%)' }}
        >
          <Database className="size-4 text-accent-text" aria-hidden /> PostgreSQL
        </div>
      ) : null}
    </>
  );
}

export interface TPlanCanvasProps {
  document: TCsJsonDocument;
  issues: TPlanIssues;
  selectedId: string | null;
  readOnly: boolean;
  onAdd: (position: TCanvasPosition, via: 'drop' | 'keyboard') => void;
  onMove: (id: string, position: TCanvasPosition) => void;
  onSelect: (id: string | null) => void;
  onRemove: (ids: string[]) => void;
}

/** Must be rendered inside <ReactFlowProvider> (screenToFlowPosition). */
export function PlanCanvas({
  document,
  issues,
  selectedId,
  readOnly,
  onAdd,
  onMove,
  onSelect,
  onRemove,
}: TPlanCanvasProps) {
  const wrapperRef = useRef<HTMLDivElement>(null);
  const paletteRef = useRef<HTMLDivElement>(null);
  const { screenToFlowPosition } = useReactFlow();
  // React Flow measures nodes and reports it as changes; controlled nodes must carry it back.
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});

  const nodes = useMemo<TPostgresNode[]>(
    () =>
      document.components.map((component, index) => {
        const componentIssues = issues.components[index];
        const errorCount = componentIssues?.errorCount ?? 0;
        const warningCount = componentIssues?.warningCount ?? 0;
        return {
          id: component.id,
          type: 'postgresql',
          position: component.position,
          data: { component, errorCount, warningCount },
          selected: component.id === selectedId,
          measured: measured[component.id],
          ariaLabel: `PostgreSQL ${component.name}${errorCount > 0 ? `, ${errorCount} ${errorCount === 1 ? 'error' : 'errors'}` : ''}`,
        };
      }),
    [document.components, issues.components, selectedId, measured],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<TPostgresNode>[]) => {
      const removed: string[] = [];
      // One batch can deselect the old node and select the new one, in node order: the net result wins.
      let selection: { id: string | null } | null = null;
      for (const change of changes) {
        switch (change.type) {
          case 'dimensions':
            if (change.dimensions) {
              const dimensions = change.dimensions;
              setMeasured((current) => {
                const previous = current[change.id];
                if (previous?.width === dimensions.width && previous.height === dimensions.height) return current;
                return { ...current, [change.id]: dimensions };
              });
            }
            break;
          case 'position':
            if (change.position && !readOnly) onMove(change.id, change.position);
            break;
          case 'select':
            if (change.selected) selection = { id: change.id };
            else if (change.id === selectedId && selection === null) selection = { id: null };
            break;
          case 'remove':
            if (!readOnly) removed.push(change.id);
            break;
          default:
            break;
        }
      }
      if (selection) onSelect(selection.id);
      if (removed.length > 0) onRemove(removed);
    },
    [onMove, onRemove, onSelect, readOnly, selectedId],
  );

  const dropAt = useCallback(
    (point: { x: number; y: number }) => {
      const pane = wrapperRef.current?.getBoundingClientRect();
      const palette = paletteRef.current?.getBoundingClientRect();
      if (!pane) return;
      const inside = (rect: DOMRect) =>
        point.x >= rect.left && point.x <= rect.right && point.y >= rect.top && point.y <= rect.bottom;
      // Released outside the canvas, or back on the palette: no node.
      if (!inside(pane) || (palette && inside(palette))) return;
      const position = screenToFlowPosition(point);
      // The pointer ends up over the node's title bar, horizontally centred.
      onAdd({ x: position.x - NODE_WIDTH / 2, y: position.y - 24 }, 'drop');
    },
    [onAdd, screenToFlowPosition],
  );

  const addInView = useCallback(() => {
    const pane = wrapperRef.current?.getBoundingClientRect();
    if (!pane) return;
    const centre = screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
    // Several keyboard adds in a row fan out instead of stacking exactly.
    const offset = (document.components.length % 6) * 24;
    onAdd({ x: centre.x - NODE_WIDTH / 2 + offset, y: centre.y - 60 + offset }, 'keyboard');
  }, [document.components.length, onAdd, screenToFlowPosition]);

  return (
    <div ref={wrapperRef} className="relative h-full w-full" data-testid="plan-canvas">
      <ReactFlow<TPostgresNode>
        nodes={nodes}
        edges={[]}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onPaneClick={() => onSelect(null)}
        nodesDraggable={!readOnly}
        nodesConnectable={false}
        elementsSelectable
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        multiSelectionKeyCode={null}
        selectionKeyCode={null}
        fitView
        fitViewOptions={{ maxZoom: 1, padding: 0.2 }}
        minZoom={0.25}
        maxZoom={2}
        style={flowStyle}
        aria-label={readOnly ? 'Plan canvas (read only)' : 'Plan canvas'}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.5} />
        <Controls showInteractive={false} position="bottom-left" />
      </ReactFlow>
      {readOnly ? null : (
        <div
          ref={paletteRef}
          className="absolute top-3 left-3 z-10 w-44 rounded-lg border border-border bg-surface/95 p-2 shadow-[var(--shadow)] backdrop-blur"
          role="group"
          aria-labelledby="palette-title"
        >
          <p id="palette-title" className="px-1 pb-1.5 text-xs font-medium tracking-wide text-fg-muted uppercase">
            Components
          </p>
          <PaletteTile onDrop={dropAt} onActivate={addInView} />
          <p id="palette-hint" className="mt-1.5 px-1 text-[11px] leading-snug text-fg-muted">
            Drag onto the canvas, or press Enter to add.
          </p>
        </div>
      )}
      {document.components.length === 0 ? (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center p-6">
          <div className="max-w-xs rounded-lg border border-dashed border-border-strong/60 bg-surface/90 px-5 py-4 text-center text-sm text-fg-muted">
            <MousePointerClick className="mx-auto mb-2 size-5 text-accent-text" aria-hidden />
            {readOnly
              ? 'This plan has no components yet.'
              : 'Drag PostgreSQL from the palette onto the canvas to add a database server.'}
          </div>
        </div>
      ) : null}
    </div>
  );
}
