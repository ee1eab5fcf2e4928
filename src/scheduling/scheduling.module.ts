import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { PolicyGate } from './policy-gate.service';
import { PolicySettings } from './policy-settings.entity';
import { PostAttempt } from './post-attempt.entity';
import { PostDeferral } from './post-deferral.entity';
import { PostQueues } from './post-queues';
import { Post } from './post.entity';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';
import { RateLimiter } from './rate-limiter';

@Module({
  imports: [TypeOrmModule.forFeature([Post, PostAttempt, PostDeferral, PolicySettings])],
  controllers: [PostsController, PoliciesController],
  providers: [PostsService, PostQueues, PoliciesService, PolicyGate, RateLimiter],
  exports: [PostsService, PostQueues, PolicyGate],
})
export class SchedulingModule {}
