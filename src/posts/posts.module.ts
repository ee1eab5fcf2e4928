import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GroupWake } from './group-wake.listener';
import { PostAttempt } from './post-attempt.entity';
import { PostDeferral } from './post-deferral.entity';
import { PostHistory } from './post-history.service';
import { PostLifecycle } from './post-lifecycle.service';
import { PostQueues } from './post-queues';
import { Post } from './post.entity';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

/** Posts and their attempts: the lifecycle that alone writes them, their history, their queues. */
@Module({
  imports: [TypeOrmModule.forFeature([Post, PostAttempt, PostDeferral])],
  controllers: [PostsController],
  providers: [PostLifecycle, PostHistory, PostsService, PostQueues, GroupWake],
  exports: [PostLifecycle, PostHistory, PostsService],
})
export class PostsModule {}
