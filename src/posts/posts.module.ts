import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GroupWake } from './group-wake.listener';
import { PostAttempt } from './post-attempt.entity';
import { PostDeferral } from './post-deferral.entity';
import { PostHistory } from './post-history.service';
import { AwaitingPosts } from './lifecycle/awaiting-posts.service';
import { PostOperatorActs } from './lifecycle/operator-acts.service';
import { PostClaims } from './lifecycle/post-claims.service';
import { PostCreation } from './lifecycle/post-creation.service';
import { PostFollowers } from './lifecycle/post-followers.service';
import { PostOutcomes } from './lifecycle/post-outcomes.service';
import { PostPurge } from './lifecycle/post-purge.service';
import { PostQueues } from './post-queues';
import { Post } from './post.entity';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

/** The post lifecycle, one phase a class (lifecycle/): these alone write posts, attempts and deferrals. */
const LIFECYCLE = [PostCreation, PostClaims, PostOutcomes, AwaitingPosts, PostFollowers, PostOperatorActs, PostPurge];

/** Posts and their attempts: the lifecycle that alone writes them, their history, their queues. */
@Module({
  imports: [TypeOrmModule.forFeature([Post, PostAttempt, PostDeferral])],
  controllers: [PostsController],
  providers: [...LIFECYCLE, PostHistory, PostsService, PostQueues, GroupWake],
  exports: [...LIFECYCLE, PostHistory, PostsService],
})
export class PostsModule {}
