import type { ReactNode } from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import { AlertTriangle, CheckCircle2, Info } from 'lucide-react';
import { cn } from '@/lib/cn';

const alertVariants = cva('flex gap-3 rounded-md border px-4 py-3 text-sm', {
  variants: {
    variant: {
      info: 'border-accent/30 bg-accent-soft text-fg',
      success: 'border-success-text/30 bg-success-soft text-fg',
      danger: 'border-danger/40 bg-danger-soft text-fg',
    },
  },
  defaultVariants: { variant: 'info' },
});

const icons = { info: Info, success: CheckCircle2, danger: AlertTriangle };

interface AlertProps extends VariantProps<typeof alertVariants> {
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  action?: ReactNode;
}

export function Alert({ variant, title, children, className, action }: AlertProps) {
  const Icon = icons[variant ?? 'info'];
  return (
    <div role={variant === 'danger' ? 'alert' : 'status'} className={cn(alertVariants({ variant }), className)}>
      <Icon
        className={cn(
          'mt-0.5 size-4 shrink-0',
          variant === 'danger' ? 'text-danger-text' : variant === 'success' ? 'text-success-text' : 'text-accent-text',
        )}
        aria-hidden
      />
      <div className="min-w-0 flex-1">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={cn(title ? 'mt-1 text-fg-muted' : undefined)}>{children}</div> : null}
        {action ? <div className="mt-3">{action}</div> : null}
      </div>
    </div>
  );
}
