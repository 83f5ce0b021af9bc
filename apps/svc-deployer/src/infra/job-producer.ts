import { type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * A request never waits longer than this for Redis. Should a timed-out add land later anyway,
 * the row it belongs to is already marked failed and the worker skips rows that are not queued.
 */
const ENQUEUE_TIMEOUT_MS = 5_000;

/**
 * Producer side of one BullMQ queue, with its own Redis connection: the shared one fails fast
 * without an offline queue, which suits requests but not BullMQ's start-up.
 */
export class JobProducer<TData> {
  private readonly connection: Redis;
  private readonly queue: Queue<TData>;

  constructor(redisUrl: string, prefix: string, queueName: string, connectionName: string) {
    this.connection = new Redis(redisUrl, {
      connectionName,
      maxRetriesPerRequest: 2,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.connection.on('error', () => undefined);
    this.queue = new Queue<TData>(queueName, { connection: this.connection, prefix });
    this.queue.on('error', () => undefined);
  }

  /** Adds the job, or rejects after ENQUEUE_TIMEOUT_MS when Redis does not answer. */
  async add(name: string, data: TData, options: JobsOptions): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`queue add timed out after ${ENQUEUE_TIMEOUT_MS} ms`)),
        ENQUEUE_TIMEOUT_MS,
      );
    });
    try {
      // BullMQ's add() types its name and data through generics we do not need here.
      await Promise.race([(this.queue as Queue).add(name, data, options), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.connection.disconnect();
  }
}
