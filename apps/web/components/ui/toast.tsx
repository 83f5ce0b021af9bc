'use client';

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import * as ToastPrimitive from '@radix-ui/react-toast';
import { AlertTriangle, CheckCircle2, Info, X } from 'lucide-react';
import { cn } from '@/lib/cn';

export type TToastVariant = 'info' | 'success' | 'danger';

interface ToastInput {
  title: string;
  description?: string;
  variant?: TToastVariant;
}

interface ToastItem extends ToastInput {
  id: number;
  open: boolean;
}

interface ToastApi {
  toast: (input: ToastInput) => void;
}

const ToastContext = createContext<ToastApi | null>(null);

const icons = { info: Info, success: CheckCircle2, danger: AlertTriangle };

let nextId = 1;

/** Radix toasts: announced to screen readers, F8 jumps to the viewport, swipe or × to dismiss. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);

  const toast = useCallback((input: ToastInput) => {
    const id = nextId++;
    setItems((current) => [...current.slice(-3), { ...input, id, open: true }]);
  }, []);

  const api = useMemo(() => ({ toast }), [toast]);

  return (
    <ToastContext.Provider value={api}>
      <ToastPrimitive.Provider swipeDirection="right" duration={6000}>
        {children}
        {items.map((item) => {
          const variant = item.variant ?? 'info';
          const Icon = icons[variant];
          return (
            <ToastPrimitive.Root
              key={item.id}
              open={item.open}
              type={variant === 'danger' ? 'foreground' : 'background'}
              onOpenChange={(open) => {
                if (!open) setItems((current) => current.filter((other) => other.id !== item.id));
              }}
              className={cn(
                'animate-toast-in flex items-start gap-3 rounded-lg border bg-surface p-4 shadow-lg',
                variant === 'danger' ? 'border-danger/50' : 'border-border',
              )}
            >
              <Icon
                aria-hidden
                className={cn(
                  'mt-0.5 size-4 shrink-0',
                  variant === 'danger'
                    ? 'text-danger-text'
                    : variant === 'success'
                      ? 'text-success-text'
                      : 'text-accent-text',
                )}
              />
              <div className="min-w-0 flex-1">
                <ToastPrimitive.Title className="text-sm font-medium text-fg">{item.title}</ToastPrimitive.Title>
                {item.description ? (
                  <ToastPrimitive.Description className="mt-1 text-sm break-words text-fg-muted">
                    {item.description}
                  </ToastPrimitive.Description>
                ) : null}
              </div>
              <ToastPrimitive.Close aria-label="Dismiss" className="rounded p-0.5 text-fg-muted hover:text-fg">
                <X className="size-4" aria-hidden />
              </ToastPrimitive.Close>
            </ToastPrimitive.Root>
          );
        })}
        <ToastPrimitive.Viewport className="fixed right-0 bottom-0 z-[100] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
      </ToastPrimitive.Provider>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const context = useContext(ToastContext);
  if (!context) throw new Error('useToast must be used inside <ToastProvider>');
  return context;
}
