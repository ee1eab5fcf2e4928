import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PostsModule } from '../posts/posts.module';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { PolicyGate } from './policy-gate.service';
import { PolicySettings } from './policy-settings.entity';
import { RateLimiter } from './rate-limiter';

@Module({
  imports: [TypeOrmModule.forFeature([PolicySettings]), PostsModule],
  controllers: [PoliciesController],
  providers: [PoliciesService, PolicyGate, RateLimiter],
  exports: [PoliciesService, PolicyGate],
})
export class PolicyModule {}
