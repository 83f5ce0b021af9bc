import { Module } from '@nestjs/common';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';

@Module({
  providers: [LoginThrottleService, LoginThrottleRepository],
  exports: [LoginThrottleService],
})
export class LoginThrottleModule {}
