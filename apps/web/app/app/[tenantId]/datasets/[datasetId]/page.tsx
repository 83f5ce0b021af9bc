import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { DatasetView } from '@/components/datasets/dataset-view';

export const metadata: Metadata = { title: 'Dataset' };

const ZDatasetId = z.uuid();

export default async function DatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  if (!ZDatasetId.safeParse(datasetId).success) notFound();
  return <DatasetView datasetId={datasetId} />;
}
