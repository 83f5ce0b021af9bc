'use client';

import Link from 'next/link';
import { Suspense } from 'react';
import { useSearchParams } from 'next/navigation';

function LinkWithNext({ href, children }: { href: string; children: string }) {
  const next = useSearchParams().get('next');
  return (
    <Link
      href={next ? `${href}?next=${encodeURIComponent(next)}` : href}
      className="font-medium text-accent-text hover:underline"
    >
      {children}
    </Link>
  );
}

/** "Sign up instead" / "Log in instead", keeping ?next= so an invitee lands back on the invite. */
export function AuthSwitchLink({ href, children }: { href: string; children: string }) {
  return (
    <Suspense
      fallback={
        <Link href={href} className="font-medium text-accent-text hover:underline">
          {children}
        </Link>
      }
    >
      <LinkWithNext href={href}>{children}</LinkWithNext>
    </Suspense>
  );
}
