import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { CredentialsController } from './credentials.controller.js';
import { CredentialsRepository } from './credentials.repository.js';
import { CredentialsService } from './credentials.service.js';

/** The audited reveal of a deployment's admin credentials. */
@Module({
  imports: [DeploymentsModule],
  controllers: [CredentialsController],
  providers: [CredentialsRepository, CredentialsService],
})
export class CredentialsModule {}
