import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { RunGroup } from '../campaigns/run-group.entity';
import { Run } from '../campaigns/run.entity';
import { ProvidersModule } from '../providers/providers.module';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { LinksModule } from '../links/links.module';
import { PolicyModule } from '../policy/policy.module';
import { PostsModule } from '../posts/posts.module';
import { RoutinesModule } from '../routines/routines.module';
import { TemplatesModule } from '../templates/templates.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { CalendarExport } from './calendar-export.service';
import { ChannelPreviewController } from './channel-preview.controller';
import { FunnelController } from './funnels.controller';
import { FunnelService } from './funnel.service';
import { PostPreviewController } from './post-preview.controller';
import { RunBoard } from './run-board.service';
import { RunProgress } from './run-progress.service';
import { RunReportsController } from './run-reports.controller';
import { DeliveryModule } from '../delivery/delivery.module';
import { OwnersController } from './owners.controller';
import { OwnersReport } from './owners.service';

/**
 * Every read that joins the tables of several owners, on the top floor: the calendar and group
 * timelines, run boards and statistics, funnels and a piece's statistics, and previews of a post
 * or a piece as a channel shows it, and how WeCom customer groups' owners confirm their tasks.
 * Nothing here writes; reminding an owner now is delivery's.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Run, RunGroup]),
    CampaignsModule,
    DeliveryModule,
    ProvidersModule,
    ContentModule,
    GroupsModule,
    LinksModule,
    TemplatesModule,
    PolicyModule,
    PostsModule,
    RoutinesModule,
  ],
  controllers: [
    CalendarController,
    RunReportsController,
    FunnelController,
    PostPreviewController,
    ChannelPreviewController,
    OwnersController,
  ],
  providers: [CalendarService, CalendarExport, RunBoard, RunProgress, FunnelService, OwnersReport],
})
export class ReportsModule {}
