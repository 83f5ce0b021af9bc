import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { CredentialsController } from './credentials.controller.js';
import { CredentialsRepository } from './credentials.repository.js';
import { CredentialsService } from './credentials.service.js';
import { DataConnectionController } from './data-connection.controller.js';
import { DataConnectionService } from './data-connection.service.js';

/** The audited reveal of a deployment's admin credentials, and their use for "Open in Data". */
@Module({
  imports: [DeploymentsModule],
  controllers: [CredentialsController, DataConnectionController],
  providers: [CredentialsRepository, CredentialsService, DataConnectionService],
})
export class CredentialsModule {}
