import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { GroupsModule } from '../groups/groups.module';
import { LinksModule } from '../links/links.module';
import { PolicyModule } from '../policy/policy.module';
import { PostsModule } from '../posts/posts.module';
import { DeliveryService } from './delivery.service';
import { OutageBacklog } from './outage-backlog';
import { ExternalQueues } from './external-queues';

/** Sending one post: claim, policy, render, adapter, outcome; and reading back what external consumers did. */
@Module({
  imports: [ChannelsModule, GroupsModule, LinksModule, PolicyModule, PostsModule],
  providers: [DeliveryService, ExternalQueues, OutageBacklog],
  exports: [DeliveryService, ExternalQueues],
})
export class DeliveryModule {}
