'use client';

import { useId, type ReactElement, type ReactNode } from 'react';
import { cn } from '@/lib/cn';

/**
 * A CSS-only tooltip: shown on hover and on keyboard focus of anything inside, and linked to the
 * trigger with aria-describedby by the caller (`children(describedById)`), so screen readers
 * read it too. Used where a disabled action must say why (the trigger stays focusable).
 */
export function Tooltip({
  content,
  children,
  side = 'bottom',
  align = 'center',
  className,
}: {
  content: ReactNode;
  children: (describedById: string) => ReactElement;
  side?: 'top' | 'bottom';
  align?: 'start' | 'center' | 'end';
  className?: string;
}) {
  const id = useId();
  return (
    <span className={cn('group/tooltip relative inline-flex', className)}>
      {children(id)}
      <span
        id={id}
        role="tooltip"
        className={cn(
          'pointer-events-none invisible absolute z-50 w-max max-w-64 rounded-md bg-slate-900 px-2.5 py-1.5 text-xs font-normal text-white opacity-0 shadow-lg transition-opacity group-focus-within/tooltip:visible group-focus-within/tooltip:opacity-100 group-hover/tooltip:visible group-hover/tooltip:opacity-100 dark:bg-slate-100 dark:text-slate-900',
          side === 'bottom' ? 'top-full mt-2' : 'bottom-full mb-2',
          align === 'center' && 'left-1/2 -translate-x-1/2',
          align === 'start' && 'left-0',
          align === 'end' && 'right-0',
        )}
      >
        {content}
      </span>
    </span>
  );
}
