import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { ConnectionView } from '@/components/data/catalog/connection-view';

export const metadata: Metadata = { title: 'Tables' };

export default async function ConnectionPage({ params }: { params: Promise<{ connectionId: string }> }) {
  const { connectionId } = await params;
  if (!z.uuid().safeParse(connectionId).success) notFound();
  return <ConnectionView connectionId={connectionId} />;
}
