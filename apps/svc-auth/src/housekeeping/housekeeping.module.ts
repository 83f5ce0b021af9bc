import { Module } from '@nestjs/common';
import { HousekeepingRepository } from './housekeeping.repository.js';
import { HousekeepingService } from './housekeeping.service.js';

/** Periodic purge of rows that no longer mean anything (stale login counters, ended sessions). */
@Module({ providers: [HousekeepingRepository, HousekeepingService] })
export class HousekeepingModule {}
