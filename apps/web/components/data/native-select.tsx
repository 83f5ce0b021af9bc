import { forwardRef, type SelectHTMLAttributes } from 'react';
import { inputClasses } from '@/components/ui/input';
import { cn } from '@/lib/cn';

export interface NativeOption {
  value: string;
  label: string;
}

/**
 * A native <select> in our input style: compact, fast in long lists (filter rows, grid
 * editors), and operable by keyboard and screen readers without a popup layer.
 */
export const NativeSelect = forwardRef<
  HTMLSelectElement,
  SelectHTMLAttributes<HTMLSelectElement> & { options: readonly NativeOption[]; size?: never; compact?: boolean }
>(function NativeSelect({ options, className, compact = true, ...props }, ref) {
  return (
    <select
      ref={ref}
      className={cn(inputClasses, 'cursor-pointer pr-7', compact && 'h-8 px-2 text-sm', className)}
      {...props}
    >
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
});
