import { Module } from '@nestjs/common';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';
import { SecretsRepository } from '../secrets/secrets.repository.js';
import { AWS_CREDENTIAL_CHECKER, SdkAwsCredentialChecker } from './aws-credential-checker.js';
import { TargetsController } from './targets.controller.js';
import { TargetsRepository } from './targets.repository.js';
import { TargetsService } from './targets.service.js';

/** Deploy targets: the workspace's AWS region and sealed credentials, and "check credentials". */
@Module({
  controllers: [TargetsController],
  providers: [
    TargetsRepository,
    TargetsService,
    SecretsRepository,
    {
      provide: AWS_CREDENTIAL_CHECKER,
      inject: [DEPLOYER_ENV],
      useFactory: (env: TDeployerEnv) => new SdkAwsCredentialChecker(env.DEPLOY_AWS_EMULATOR_URL || null),
    },
  ],
  exports: [TargetsService],
})
export class TargetsModule {}
