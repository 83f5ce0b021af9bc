import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { AuditLog } from '@/components/data/audit-log';
import { ConnectionView } from '@/components/data/catalog/connection-view';
import { RulesEditor } from '@/components/data/rules-editor';

export const metadata: Metadata = { title: 'Tables' };

export default async function ConnectionPage({ params }: { params: Promise<{ connectionId: string }> }) {
  const { connectionId } = await params;
  if (!z.uuid().safeParse(connectionId).success) notFound();
  return (
    <>
      <ConnectionView connectionId={connectionId} />
      {/* Admin-only sections; each renders nothing for other roles. */}
      <RulesEditor connectionId={connectionId} />
      <AuditLog connectionId={connectionId} />
    </>
  );
}
