import type { Metadata } from 'next';
import { Suspense } from 'react';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { TableView } from '@/components/data/grid/table-view';
import { Loading } from '@/components/ui/skeleton';

interface Params {
  connectionId: string;
  schema: string;
  table: string;
}

/**
 * Dynamic segments may arrive still percent-encoded (spaces, unicode…); the view matches the
 * decoded name first and the segment as given second, so names containing `%` work too.
 */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { table } = await params;
  return { title: decodeSegment(table) };
}

export default async function TablePage({ params }: { params: Promise<Params> }) {
  const { connectionId, schema, table } = await params;
  if (!z.uuid().safeParse(connectionId).success) notFound();
  return (
    // The view lives in the URL's query (useSearchParams), read on the client.
    <Suspense fallback={<Loading label="Loading the table…" />}>
      <TableView
        connectionId={connectionId}
        schema={decodeSegment(schema)}
        table={decodeSegment(table)}
        rawSchema={schema}
        rawTable={table}
      />
    </Suspense>
  );
}
