import { Module } from '@nestjs/common';
import { RescheduleController } from './reschedule.controller';
import { Reschedules } from './reschedules.service';
import { ProvidersModule } from '../providers/providers.module';
import { GroupsModule } from '../groups/groups.module';
import { LinksModule } from '../links/links.module';
import { PolicyModule } from '../policy/policy.module';
import { PostsModule } from '../posts/posts.module';
import { CombinedSend } from './combined-send.service';
import { DeliveryService } from './delivery.service';
import { InFlight } from './in-flight';
import { SendPreparation } from './send-preparation.service';
import { SendSettlement } from './send-settlement.service';
import { OutageBacklog } from './outage-backlog';
import { ExternalQueues } from './external-queues';
import { Confirmations } from './confirmations.service';

/** Sending one post: claim, policy, render, adapter, outcome; reading back what external consumers and WeCom's owners did. */
@Module({
  imports: [ProvidersModule, GroupsModule, LinksModule, PolicyModule, PostsModule],
  controllers: [RescheduleController],
  providers: [
    DeliveryService,
    SendPreparation,
    CombinedSend,
    SendSettlement,
    InFlight,
    ExternalQueues,
    OutageBacklog,
    Confirmations,
    Reschedules,
  ],
  exports: [DeliveryService, ExternalQueues, OutageBacklog, Confirmations],
})
export class DeliveryModule {}
