import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { PostsModule } from '../posts/posts.module';
import { ChannelsModule } from '../channels/channels.module';
import { PolicyModule } from '../policy/policy.module';
import { Campaign } from './campaign.entity';
import { CampaignStep } from './campaign-step.entity';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { PlanJobs } from './plan-jobs.service';
import { PlanPreview } from './plan-preview.service';
import { PlansController } from './plans.controller';
import { RunBoard } from './run-board.service';
import { RunEnrolment } from './run-enrolment.service';
import { RunGroup } from './run-group.entity';
import { Run } from './run.entity';
import { RunsController } from './runs.controller';
import { RunPostsController } from './run-posts.controller';
import { RunLifecycle } from './run-lifecycle.service';
import { RunEntry } from './run-entry.service';
import { RunsService } from './runs.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Campaign, CampaignStep, Run, RunGroup]),
    ContentModule,
    GroupsModule,
    PostsModule,
    PolicyModule,
    ChannelsModule,
  ],
  controllers: [CampaignsController, RunsController, RunPostsController, PlansController],
  providers: [CampaignsService, RunsService, RunEntry, RunLifecycle, RunEnrolment, RunBoard, PlanPreview, PlanJobs],
  exports: [RunLifecycle, RunEnrolment, RunsService],
})
export class CampaignsModule {}
