import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ChannelsModule } from '../channels/channels.module';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { PostsModule } from '../posts/posts.module';
import { RoutinesModule } from '../routines/routines.module';
import { ClicksModule } from './clicks.module';
import { Conversion } from './conversion.entity';
import { ConversionsService } from './conversions.service';
import { FunnelService } from './funnel.service';
import { ChannelPreviewController } from './channel-preview.controller';
import { LinkTracker } from './link-tracker.service';
import { ConversionsController, FunnelController, PostPreviewController } from './links.controller';
import { RedirectController } from './redirect.controller';

/** Short links in posts, the clicks on them, the orders they led to, and the funnel from send to order. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Conversion]),
    ClicksModule,
    ChannelsModule,
    ContentModule,
    GroupsModule,
    PostsModule,
    CampaignsModule,
    RoutinesModule,
  ],
  controllers: [
    RedirectController,
    ConversionsController,
    FunnelController,
    PostPreviewController,
    ChannelPreviewController,
  ],
  providers: [LinkTracker, ConversionsService, FunnelService],
  exports: [LinkTracker],
})
export class LinksModule {}
