import type { Metadata } from 'next';
import Link from 'next/link';
import { InviteAccept } from '@/components/invite/invite-accept';
import { Logo } from '@/components/logo';

export const metadata: Metadata = { title: 'Invitation', robots: { index: false } };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex h-16 items-center px-4 sm:px-6">
        <Link href="/" aria-label="ElasticDash home" className="rounded-md">
          <Logo />
        </Link>
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 pt-8 pb-16 sm:pt-16">
        <div className="w-full max-w-lg">
          <InviteAccept token={token} />
        </div>
      </main>
    </div>
  );
}
