import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentPiece } from './content-piece.entity';
import { ContentRevision } from './content-revision.entity';
import { ContentTag } from './content-tag.entity';
import { ContentController } from './content.controller';
import { ContentCatalog } from './content-catalog.service';
import { ContentService } from './content.service';
import { PostsModule } from '../posts/posts.module';
import { ProvidersModule } from '../providers/providers.module';
import { PictureCheck } from './picture-check.service';
import { PostRenderer } from './post-renderer.service';
import { MessageCheck } from './message-check.service';
import { ContentPreview } from './content-preview.service';
import { RenderableRevisions } from './renderable-revisions.service';
import { GroupsModule } from '../groups/groups.module';
import { AuthModule } from '../auth/auth.module';

@Module({
  imports: [
    TypeOrmModule.forFeature([ContentPiece, ContentRevision, ContentTag]),
    PostsModule,
    ProvidersModule,
    GroupsModule,
    AuthModule,
  ],
  controllers: [ContentController],
  providers: [
    ContentService,
    ContentCatalog,
    ContentPreview,
    RenderableRevisions,
    PostRenderer,
    PictureCheck,
    MessageCheck,
  ],
  exports: [ContentService, ContentCatalog, RenderableRevisions, PostRenderer],
})
export class ContentModule {}
