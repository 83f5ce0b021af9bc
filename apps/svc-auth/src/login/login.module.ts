import { Module } from '@nestjs/common';
import { LoginThrottleModule } from '../login-throttle/login-throttle.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { LoginController } from './login.controller.js';
import { LoginService } from './login.service.js';

@Module({
  imports: [UsersModule, SessionsModule, LoginThrottleModule],
  controllers: [LoginController],
  providers: [LoginService],
})
export class LoginModule {}
