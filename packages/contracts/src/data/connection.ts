import { z } from 'zod';

export const SSL_MODES = ['disable', 'require', 'verify-full'] as const;

const ZHost = z
  .string()
  .trim()
  .min(1, 'Host is required')
  .max(253, 'Host must be at most 253 characters')
  .regex(/^[A-Za-z0-9.\-_:[\]]+$/, 'Host may contain letters, digits, dots, dashes, colons and brackets only');

const ZIdentifierLike = (label: string) =>
  z.string().trim().min(1, `${label} is required`).max(63, `${label} must be at most 63 characters`);

/** Connection settings as typed in the form (the password only travels on create/edit/test). */
export const ZConnectionSettings = z
  .object({
    host: ZHost,
    port: z.coerce
      .number()
      .int('Port must be a whole number')
      .min(1, 'Port must be 1-65535')
      .max(65535, 'Port must be 1-65535'),
    database: ZIdentifierLike('Database'),
    user: ZIdentifierLike('User'),
    sslMode: z.enum(SSL_MODES).default('disable'),
    /** PEM CA certificate, required for verify-full. Not a secret; stored as metadata. */
    caCert: z.string().max(20_000, 'CA certificate is too long').nullable().default(null),
  })
  .superRefine((value, ctx) => {
    if (value.sslMode === 'verify-full' && !value.caCert?.includes('BEGIN CERTIFICATE')) {
      ctx.addIssue({ code: 'custom', path: ['caCert'], message: 'verify-full needs the server CA certificate (PEM)' });
    }
  });

export type TConnectionSettings = z.infer<typeof ZConnectionSettings>;
export type TSslMode = (typeof SSL_MODES)[number];

export const ZConnectionPassword = z.string().min(1, 'Password is required').max(1024, 'Password is too long');

export const ZCreateConnectionRequest = z
  .object({
    name: z.string().trim().min(1, 'Name is required').max(80, 'Name must be at most 80 characters'),
    settings: ZConnectionSettings,
    password: ZConnectionPassword,
    readOnly: z.boolean().default(false),
  })
  .meta({ id: 'CreateConnectionRequest' });
export type TCreateConnectionRequest = z.infer<typeof ZCreateConnectionRequest>;

/** Edit: every field optional; a missing password keeps the stored one. */
export const ZUpdateConnectionRequest = z
  .object({
    name: z.string().trim().min(1, 'Name is required').max(80).optional(),
    settings: ZConnectionSettings.optional(),
    password: ZConnectionPassword.optional(),
    readOnly: z.boolean().optional(),
  })
  .meta({ id: 'UpdateConnectionRequest' });
export type TUpdateConnectionRequest = z.infer<typeof ZUpdateConnectionRequest>;

/** Test settings before saving. */
export const ZTestConnectionRequest = z
  .object({ settings: ZConnectionSettings, password: ZConnectionPassword })
  .meta({ id: 'TestConnectionRequest' });
export type TTestConnectionRequest = z.infer<typeof ZTestConnectionRequest>;

export const CONNECTION_FAILURES = [
  'dns',
  'refused',
  'timeout',
  'auth_failed',
  'unknown_database',
  'tls',
  'other',
] as const;
export type TConnectionFailure = (typeof CONNECTION_FAILURES)[number];

export const ZTestConnectionResponse = z
  .discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), serverVersion: z.string(), latencyMs: z.number() }),
    z.object({
      ok: z.literal(false),
      failure: z.enum(CONNECTION_FAILURES),
      /** A sentence for a person: what went wrong and what to check. Never contains the password. */
      message: z.string(),
    }),
  ])
  .meta({ id: 'TestConnectionResponse' });
export type TTestConnectionResponse = z.infer<typeof ZTestConnectionResponse>;

/** What the API returns: never the password, never the secret reference. */
export const ZConnection = z
  .object({
    id: z.uuid(),
    name: z.string(),
    host: z.string(),
    port: z.number(),
    database: z.string(),
    user: z.string(),
    sslMode: z.enum(SSL_MODES),
    hasCaCert: z.boolean(),
    readOnly: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    introspectedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Connection' });
export type TConnection = z.infer<typeof ZConnection>;

export const ZConnectionResponse = z.object({ connection: ZConnection }).meta({ id: 'ConnectionResponse' });
export type TConnectionResponse = z.infer<typeof ZConnectionResponse>;

export const ZListConnectionsResponse = z
  .object({ connections: z.array(ZConnection) })
  .meta({ id: 'ListConnectionsResponse' });
export type TListConnectionsResponse = z.infer<typeof ZListConnectionsResponse>;

export const ZConnectionParams = z.object({ connectionId: z.uuid('connectionId must be a UUID') });
