export interface QueueCounts {
  waiting: number;
  active: number;
}
export function encodeCommand(args: (string | number)[]): string;
export function parseReplies(buffer: Buffer): { replies: (string | number | null | Error)[]; consumed: number };
export function queueCommands(prefix: string, queue: string): string[][];
export function queueCounts(replies: number[]): QueueCounts;
export function backlogPerTask(counts: QueueCounts[], runningTasks: number): { backlog: number; perTask: number };
export function redisQuery(
  redisUrl: string,
  commands: string[][],
  timeoutMs?: number,
): Promise<(string | number | null)[]>;
export function handler(): Promise<{ queues: Record<string, QueueCounts>; running: number; perTask: number }>;
