'use client';

import Link from 'next/link';
import { useSyncExternalStore } from 'react';
import { Button } from '@/components/ui/button';
import { hasSessionHint } from '@/lib/api';

const noop = () => () => {};

/** "Log in / Sign up", or "Open app" when this browser has a session (server renders the former). */
export function HeaderAuthLinks() {
  const signedIn = useSyncExternalStore(noop, hasSessionHint, () => false);
  if (signedIn) {
    return (
      <Button asChild size="sm">
        <Link href="/app">Open app</Link>
      </Button>
    );
  }
  return (
    <>
      <Button asChild variant="ghost" size="sm">
        <Link href="/login">Log in</Link>
      </Button>
      <Button asChild size="sm">
        <Link href="/signup">Sign up</Link>
      </Button>
    </>
  );
}
