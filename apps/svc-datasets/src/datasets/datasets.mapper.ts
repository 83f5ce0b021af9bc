import type { TDataset, TDatasetSummary } from '@elasticdash/contracts/datasets/dataset';
import type { DatasetRow } from './datasets.repository.js';

export function toDatasetSummary(row: DatasetRow): TDatasetSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    failureReason: row.failureReason,
    version: row.version,
    rowCount: row.rowCount,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    progress: row.progress,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    readyAt: row.readyAt?.toISOString() ?? null,
  };
}

export function toDataset(row: DatasetRow): TDataset {
  return { ...toDatasetSummary(row), columns: row.version > 0 ? row.columns : [] };
}
