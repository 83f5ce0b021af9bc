// Lambda (Node.js 20, no dependencies beyond the runtime's AWS SDK): every minute, reads the
// BullMQ queues in Redis and the worker service's running task count, and publishes
//   ElasticDash/Queues QueueDepth {Queue}        jobs waiting (wait + paused + prioritized)
//   ElasticDash/Queues Backlog {Service}          waiting + active jobs of all queues
//   ElasticDash/Queues BacklogPerTask {Service}   Backlog / running worker tasks (≥ 1)
// The worker's autoscaling tracks BacklogPerTask (modules/service). Redis is spoken directly
// (RESP over TLS) so the function needs no bundled client.
import net from 'node:net';
import tls from 'node:tls';

/** One RESP command: an array of bulk strings. */
export function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const value = String(arg);
    out += `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
  }
  return out;
}

/**
 * Parses as many complete RESP replies as `buffer` holds (simple strings, errors, integers, bulk
 * strings). Returns the replies and the number of bytes consumed.
 */
export function parseReplies(buffer) {
  const replies = [];
  let offset = 0;
  for (;;) {
    const end = buffer.indexOf('\r\n', offset);
    if (end === -1) break;
    const type = String.fromCharCode(buffer[offset]);
    const line = buffer.toString('utf8', offset + 1, end);
    if (type === '+') replies.push(line);
    else if (type === '-') replies.push(new Error(line));
    else if (type === ':') replies.push(Number(line));
    else if (type === '$') {
      const length = Number(line);
      if (length === -1) replies.push(null);
      else {
        if (buffer.length < end + 2 + length + 2) break;
        replies.push(buffer.toString('utf8', end + 2, end + 2 + length));
        offset = end + 2 + length + 2;
        continue;
      }
    } else throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
    offset = end + 2;
  }
  return { replies, consumed: offset };
}

/** The commands reading one queue's counts, in the order queueCounts() expects them. */
export function queueCommands(prefix, queue) {
  const key = (suffix) => `${prefix}:${queue}:${suffix}`;
  return [
    ['LLEN', key('wait')],
    ['LLEN', key('paused')],
    ['ZCARD', key('prioritized')],
    ['LLEN', key('active')],
  ];
}

/** { waiting, active } from the four replies of queueCommands(). */
export function queueCounts([wait, paused, prioritized, active]) {
  return { waiting: wait + paused + prioritized, active };
}

/** Jobs in the system per running task; no running task counts as one so a backlog still scales out. */
export function backlogPerTask(counts, runningTasks) {
  const backlog = counts.reduce((sum, count) => sum + count.waiting + count.active, 0);
  return { backlog, perTask: backlog / Math.max(1, runningTasks) };
}

/** Sends `commands` over one connection to `redisUrl` (redis:// or rediss://) and returns the replies. */
export async function redisQuery(redisUrl, commands, timeoutMs = 5_000) {
  const url = new URL(redisUrl);
  const setup = [];
  const password = decodeURIComponent(url.password);
  if (password) setup.push(url.username ? ['AUTH', decodeURIComponent(url.username), password] : ['AUTH', password]);
  const db = url.pathname.slice(1);
  if (db) setup.push(['SELECT', db]);
  const all = [...setup, ...commands];
  const options = { host: url.hostname, port: Number(url.port || 6379) };
  const socket =
    url.protocol === 'rediss:' ? tls.connect({ ...options, servername: url.hostname }) : net.connect(options);
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const replies = [];
    const timer = setTimeout(() => fail(new Error(`redis: no answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () =>
      socket.write(all.map(encodeCommand).join('')),
    );
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const parsed = parseReplies(buffer);
      replies.push(...parsed.replies);
      buffer = buffer.subarray(parsed.consumed);
      if (replies.length < all.length) return;
      clearTimeout(timer);
      socket.end();
      const error = replies.find((reply) => reply instanceof Error);
      if (error) reject(new Error(`redis: ${error.message}`));
      else resolve(replies.slice(setup.length));
    });
  });
}

export async function handler() {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const { ECSClient, DescribeServicesCommand } = await import('@aws-sdk/client-ecs');
  const { CloudWatchClient, PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const env = process.env;
  const queues = env.QUEUES.split(',').map((queue) => queue.trim());

  const secret = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: env.REDIS_URL_SECRET_ARN }),
  );
  const replies = await redisQuery(
    secret.SecretString,
    queues.flatMap((queue) => queueCommands(env.BULLMQ_PREFIX, queue)),
  );
  const counts = queues.map((_, index) => queueCounts(replies.slice(index * 4, index * 4 + 4)));

  const described = await new ECSClient({}).send(
    new DescribeServicesCommand({ cluster: env.CLUSTER_NAME, services: [env.WORKER_SERVICE_NAME] }),
  );
  const running = described.services?.[0]?.runningCount ?? 0;
  const { backlog, perTask } = backlogPerTask(counts, running);

  const service = [{ Name: 'Service', Value: env.WORKER_SERVICE_NAME }];
  await new CloudWatchClient({}).send(
    new PutMetricDataCommand({
      Namespace: env.METRIC_NAMESPACE,
      MetricData: [
        ...queues.map((queue, index) => ({
          MetricName: 'QueueDepth',
          Dimensions: [{ Name: 'Queue', Value: queue }],
          Value: counts[index].waiting,
          Unit: 'Count',
        })),
        { MetricName: 'Backlog', Dimensions: service, Value: backlog, Unit: 'Count' },
        { MetricName: 'BacklogPerTask', Dimensions: service, Value: perTask, Unit: 'None' },
      ],
    }),
  );
  return { queues: Object.fromEntries(queues.map((queue, index) => [queue, counts[index]])), running, perTask };
}
