import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { SchedulerService } from '../scheduling/scheduler.service';
import { ChannelsModule } from '../channels/channels.module';
import { DeliveryService } from './delivery.service';
import { ExternalOutcomes } from './external-outcomes.service';
import { ExternalQueues } from './external-queues';
import { POST_PROCESSORS } from './post-processors';

/** The worker half: the scheduler tick and one processor per post queue. */
@Module({
  imports: [ChannelsModule, CampaignsModule, ContentModule, GroupsModule, SchedulingModule],
  providers: [DeliveryService, SchedulerService, ExternalQueues, ExternalOutcomes, ...POST_PROCESSORS],
})
export class DeliveryModule {}
