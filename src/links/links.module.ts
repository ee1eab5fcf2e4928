import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { PostsModule } from '../posts/posts.module';
import { ClicksModule } from './clicks.module';
import { Conversion } from './conversion.entity';
import { ConversionsService } from './conversions.service';
import { LinkTracker } from './link-tracker.service';
import { ConversionsController } from './conversions.controller';
import { RedirectController } from './redirect.controller';

/** Short links in posts, the redirect and the clicks on them, and the orders they led to. */
@Module({
  imports: [TypeOrmModule.forFeature([Conversion]), ClicksModule, ContentModule, GroupsModule, PostsModule],
  controllers: [RedirectController, ConversionsController],
  providers: [LinkTracker, ConversionsService],
  exports: [LinkTracker],
})
export class LinksModule {}
