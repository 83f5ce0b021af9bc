import { DEPLOY_TARGET_KINDS, type TDeployTargetKind } from '@elasticdash/contracts/deployer/deployment';
import { zHttpUrl, zJson, zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPublicJwkSet } from '@elasticdash/service-kit/internal-token';
import { resolveKeyring, ZSecretsKeyEnv } from '@elasticdash/service-kit/secrets/keyring';
import { z } from 'zod';

const isTargetKind = (value: string): value is TDeployTargetKind =>
  (DEPLOY_TARGET_KINDS as readonly string[]).includes(value);

/** `local,aws` → ['local', 'aws']; every entry must be a known target kind. */
const zDeployTargets = z
  .string()
  .default('local')
  .transform((value, ctx): TDeployTargetKind[] => {
    const kinds = value
      .split(',')
      .map((kind) => kind.trim())
      .filter((kind) => kind.length > 0);
    const unknown = kinds.filter((kind) => !isTargetKind(kind));
    if (kinds.length === 0 || unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of target kinds (${DEPLOY_TARGET_KINDS.join(', ')})${
          unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''
        }`,
      });
      return z.NEVER;
    }
    return [...new Set(kinds.filter(isTargetKind))];
  });

const ZRawDeployerEnv = ZServiceBaseEnv.extend({
  SVC_DEPLOYER_PORT: zPort.default(4060),
  DATABASE_URL: zPostgresUrl,
  REDIS_URL: zRedisUrl,
  INTERNAL_TOKEN_PUBLIC_KEYS: zJson(ZPublicJwkSet),
  /** svc-plans, read on deploy with the caller's own token (the gateway signs it for both services). */
  SVC_PLANS_URL: zHttpUrl,
  /** svc-connections, for "Open in Data" (with the caller's own token, signed for both services). */
  SVC_CONNECTIONS_URL: zHttpUrl.default('http://127.0.0.1:4030'),
  /** BullMQ key prefix, shared with the worker (separate stacks on one Redis use different ones). */
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
  /** Master keys of the local secret store holding the generated admin passwords (`deployer.secrets`). */
  ...ZSecretsKeyEnv.shape,
  /** Target kinds deploys may use; `aws` only once the AWS driver and credentials are configured. */
  DEPLOY_TARGETS: zDeployTargets,
  /**
   * Test-host mode (docs/cloud-fidelity.md): the aws target's STS and EC2 calls go to this local
   * EC2 emulator (infra/testhost/ec2-emulator.mjs), which boots real Debian test hosts. Empty = AWS.
   */
  DEPLOY_AWS_EMULATOR_URL: z.union([z.literal(''), zHttpUrl]).default(''),
});

export const ZDeployerEnv = ZRawDeployerEnv.transform((env, ctx) => {
  if (env.DEPLOY_AWS_EMULATOR_URL && env.NODE_ENV === 'production') {
    ctx.addIssue({
      code: 'custom',
      path: ['DEPLOY_AWS_EMULATOR_URL'],
      message: 'the EC2 emulator is for development and tests: unset it in production',
    });
    return z.NEVER;
  }
  const keyring = resolveKeyring(env, ctx);
  if (!keyring) return z.NEVER;
  // The raw key material is kept only in the keyring, never in the plain env object.
  const { SECRETS_MASTER_KEY: _key, SECRETS_MASTER_KEY_FILE: _file, SECRETS_PREVIOUS_KEYS: _previous, ...rest } = env;
  return { ...rest, secretsKeyring: keyring };
});
export type TDeployerEnv = z.infer<typeof ZDeployerEnv>;
export const DEPLOYER_ENV = Symbol('DEPLOYER_ENV');
