import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { Campaign } from './campaign.entity';
import { CampaignStep } from './campaign-step.entity';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { Run } from './run.entity';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

@Module({
  imports: [TypeOrmModule.forFeature([Campaign, CampaignStep, Run]), ContentModule, GroupsModule, SchedulingModule],
  controllers: [CampaignsController, RunsController],
  providers: [CampaignsService, RunsService],
  exports: [RunsService],
})
export class CampaignsModule {}
