import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ChannelsModule } from '../channels/channels.module';
import { GroupsModule } from '../groups/groups.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { Confirmations } from '../delivery/confirmations.service';
import { ExternalOutcomes } from '../delivery/external-outcomes.service';
import { ClicksModule } from '../links/clicks.module';
import { PostsModule } from '../posts/posts.module';
import { Retention } from '../retention/retention.service';
import { RoutinesModule } from '../routines/routines.module';
import { HeartbeatProcessor } from '../system/heartbeat.processor';
import { Leadership } from '../system/leadership';
import { POST_PROCESSORS } from './post-processors';
import { ProcessorCoverage } from './processor-coverage';
import { SchedulerTick } from './scheduler-tick.service';

/** The worker role: one processor per queue, the scheduler's tick, the loop that reads back external outcomes, and retention. */
@Module({
  imports: [
    DiscoveryModule,
    CampaignsModule,
    ClicksModule,
    ChannelsModule,
    DeliveryModule,
    GroupsModule,
    PostsModule,
    RoutinesModule,
  ],
  providers: [
    Leadership,
    SchedulerTick,
    ExternalOutcomes,
    Confirmations,
    Retention,
    HeartbeatProcessor,
    ...POST_PROCESSORS,
    ProcessorCoverage,
  ],
})
export class WorkerModule {}
