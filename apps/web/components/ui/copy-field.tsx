'use client';

import { useId, useRef, useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { Button } from './button';
import { Input } from './input';
import { Label } from './label';

/** A read-only value with a copy button; falls back to selecting the text when the clipboard is blocked. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      inputRef.current?.select();
      setCopied('select');
    }
  }

  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex gap-2">
        <Input
          ref={inputRef}
          id={id}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          className="font-mono text-xs"
          data-testid={testId}
        />
        <Button variant="outline" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          {copied === 'yes' ? <Check aria-hidden /> : <Copy aria-hidden />}
          <span className="hidden sm:inline">{copied === 'yes' ? 'Copied' : 'Copy'}</span>
        </Button>
      </div>
      <p aria-live="polite" className="text-xs text-fg-muted">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'select' ? 'Selected: press Ctrl+C to copy.' : ''}
      </p>
    </div>
  );
}
