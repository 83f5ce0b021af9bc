import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TPanelQuery, TPanelQueryResult } from '@elasticdash/contracts/datasets/query';
import { REDIS } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';
import { DATASETS_ENV, type TDatasetsEnv } from '../env.js';

export type CachedPoints = Pick<TPanelQueryResult, 'version' | 'points'>;

/** JSON with object keys sorted, so equal queries hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A hash of the query after defaults; filters are `and`-ed, so their order does not matter. */
export function queryHash(query: TPanelQuery): string {
  const filters = query.filters.map(stableJson).sort();
  const normalised = stableJson({ ...query, filters: filters.map((filter) => JSON.parse(filter) as unknown) });
  return createHash('sha256').update(normalised).digest('base64url');
}

/**
 * Panel results in Redis, keyed by tenant, dataset, data version and query hash: a new version
 * (re-ingest) misses by construction, and the first miss that notices the new version deletes
 * the dataset's older entries. Redis being down only costs the cache.
 */
@Injectable()
export class QueryCache {
  private readonly logger = new Logger('QueryCache');
  private readonly ttl: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATASETS_ENV) env: TDatasetsEnv,
  ) {
    this.ttl = env.QUERY_CACHE_TTL_SECONDS;
  }

  key(tenantId: string, datasetId: string, version: number, query: TPanelQuery): string {
    return `ed:dsq:${tenantId}:${datasetId}:v${version}:${queryHash(query)}`;
  }

  private indexKey(tenantId: string, datasetId: string): string {
    return `ed:dsq-index:${tenantId}:${datasetId}`;
  }

  private versionKey(tenantId: string, datasetId: string): string {
    return `ed:dsq-version:${tenantId}:${datasetId}`;
  }

  async get(key: string): Promise<CachedPoints | null> {
    try {
      const raw = await this.redis.get(key);
      return raw === null ? null : (JSON.parse(raw) as CachedPoints);
    } catch (error) {
      this.warn('read', error);
      return null;
    }
  }

  async set(tenantId: string, datasetId: string, key: string, value: CachedPoints): Promise<void> {
    try {
      const index = this.indexKey(tenantId, datasetId);
      await this.redis
        .multi()
        .set(key, JSON.stringify(value), 'EX', this.ttl)
        .sadd(index, key)
        .expire(index, this.ttl * 2)
        .exec();
    } catch (error) {
      this.warn('write', error);
    }
  }

  /** Records the dataset's live version; when it changed, drops the entries of other versions. */
  async noteVersion(tenantId: string, datasetId: string, version: number): Promise<void> {
    try {
      const versionKey = this.versionKey(tenantId, datasetId);
      const answers = await this.redis
        .multi()
        .getset(versionKey, String(version))
        .expire(versionKey, this.ttl * 2)
        .exec();
      const previous = answers?.[0]?.[1];
      if (typeof previous === 'string' && previous !== String(version)) await this.purge(tenantId, datasetId, version);
    } catch (error) {
      this.warn('version check', error);
    }
  }

  /** Deletes the dataset's cached results (all of them, or all but `keepVersion`'s). */
  async purge(tenantId: string, datasetId: string, keepVersion?: number): Promise<void> {
    try {
      const index = this.indexKey(tenantId, datasetId);
      const keys = await this.redis.smembers(index);
      const stale = keys.filter((key) => keepVersion === undefined || !key.includes(`:v${keepVersion}:`));
      if (stale.length > 0)
        await this.redis
          .multi()
          .del(...stale)
          .srem(index, ...stale)
          .exec();
      if (keepVersion === undefined) await this.redis.del(index, this.versionKey(tenantId, datasetId));
    } catch (error) {
      this.warn('purge', error);
    }
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`query cache ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
