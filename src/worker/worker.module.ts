import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ProvidersModule } from '../providers/providers.module';
import { GroupsModule } from '../groups/groups.module';
import { DeliveryModule } from '../delivery/delivery.module';
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
import { TimedJobs } from './timed-jobs';

/** The worker role: one processor per queue, and the timed jobs (the scheduler's tick, outcomes read back, retention). */
@Module({
  imports: [
    DiscoveryModule,
    ScheduleModule.forRoot(),
    CampaignsModule,
    ClicksModule,
    ProvidersModule,
    DeliveryModule,
    GroupsModule,
    PostsModule,
    RoutinesModule,
  ],
  providers: [
    Leadership,
    SchedulerTick,
    TimedJobs,
    ExternalOutcomes,
    Retention,
    HeartbeatProcessor,
    ...POST_PROCESSORS,
    ProcessorCoverage,
  ],
})
export class WorkerModule {}
