import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { PostsModule } from '../posts/posts.module';
import { ProvidersModule } from '../providers/providers.module';
import { PolicyModule } from '../policy/policy.module';
import { Campaign } from './campaign.entity';
import { CampaignStep } from './campaign-step.entity';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { PlanJobs } from './plan-jobs.service';
import { PlanPreview } from './plan-preview.service';
import { PlansController } from './plans.controller';
import { RunEnrolment } from './run-enrolment.service';
import { RunGroup } from './run-group.entity';
import { Run } from './run.entity';
import { RunsController } from './runs.controller';
import { RunLifecycle } from './run-lifecycle.service';
import { RunEntry } from './run-entry.service';
import { RunReopen } from './run-reopen.listener';
import { RunsService } from './runs.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Campaign, CampaignStep, Run, RunGroup]),
    ContentModule,
    GroupsModule,
    PostsModule,
    PolicyModule,
    ProvidersModule,
  ],
  controllers: [CampaignsController, RunsController, PlansController],
  providers: [CampaignsService, RunsService, RunEntry, RunLifecycle, RunEnrolment, RunReopen, PlanPreview, PlanJobs],
  exports: [RunLifecycle, RunEnrolment, RunsService, CampaignsService],
})
export class CampaignsModule {}
