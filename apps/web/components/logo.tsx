import { cn } from '@/lib/cn';

/** The ElasticDash mark: three rising bars on the accent colour. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={cn('size-8', className)} aria-hidden focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <rect x="8" y="16" width="4" height="8" rx="1.5" fill="var(--accent-fg)" />
      <rect x="14" y="11" width="4" height="13" rx="1.5" fill="var(--accent-fg)" />
      <rect x="20" y="7" width="4" height="17" rx="1.5" fill="var(--accent-fg)" />
    </svg>
  );
}

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn('inline-flex items-center gap-2 font-semibold tracking-tight text-fg', className)}>
      <LogoMark />
      <span className="text-lg">ElasticDash</span>
    </span>
  );
}
