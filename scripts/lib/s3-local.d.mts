export function corsXml(origins: string[]): string;
export function startLocalS3(options: {
  port?: number;
  directory: string;
  bucket: string;
  origins?: string[];
  address?: string;
}): Promise<{ endpoint: string; port: number; stop: () => Promise<void> }>;
