import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Global, Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CONNECTIONS_ENV, type TConnectionsEnv } from '../env.js';
import { AwsSecretStore } from './aws-secret-store.js';
import { LocalSecretStore } from './local-secret-store.js';
import { SECRET_STORE, type SecretStore } from './secret-store.js';
import { SecretsRepository } from './secrets.repository.js';

function createSecretStore(env: TConnectionsEnv, repository: SecretsRepository): SecretStore {
  if (env.SECRET_STORE === 'aws') {
    return new AwsSecretStore(new SecretsManagerClient({ region: env.AWS_REGION }), env.SECRETS_PREFIX);
  }
  if (!env.secretsKeyring)
    throw new Error('SECRET_STORE=local without a master key (env validation should have refused)');
  return new LocalSecretStore(repository, env.secretsKeyring);
}

/** Provides the SecretStore chosen by `SECRET_STORE` to every module. */
@Global()
@Module({
  providers: [
    SecretsRepository,
    { provide: SECRET_STORE, inject: [CONNECTIONS_ENV, SecretsRepository], useFactory: createSecretStore },
  ],
  exports: [SECRET_STORE],
})
export class SecretsModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('SecretStore');

  constructor(@Inject(SECRET_STORE) private readonly store: SecretStore) {}

  /** After a master-key rotation, re-wraps the data keys still under a previous key. */
  async onApplicationBootstrap(): Promise<void> {
    if (!(this.store instanceof LocalSecretStore)) return;
    try {
      const { rewrapped, failed } = await this.store.rewrapAll();
      if (rewrapped > 0) this.logger.log(`re-wrapped ${rewrapped} secret(s) with the current master key`);
      if (failed.length > 0) {
        this.logger.warn(
          `${failed.length} secret(s) are under a master key that is not configured; add it to SECRETS_PREVIOUS_KEYS`,
        );
      }
    } catch (error) {
      this.logger.warn(`re-wrapping secrets failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
  }
}
