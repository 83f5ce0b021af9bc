import { Module } from '@nestjs/common';
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
    { provide: AWS_CREDENTIAL_CHECKER, useClass: SdkAwsCredentialChecker },
  ],
  exports: [TargetsService],
})
export class TargetsModule {}
