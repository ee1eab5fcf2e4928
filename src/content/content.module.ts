import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentPiece } from './content-piece.entity';
import { ContentRevision } from './content-revision.entity';
import { ContentTag } from './content-tag.entity';
import { ContentController } from './content.controller';
import { ContentCatalog } from './content-catalog.service';
import { ContentService } from './content.service';
import { PostsModule } from '../posts/posts.module';

@Module({
  imports: [TypeOrmModule.forFeature([ContentPiece, ContentRevision, ContentTag]), PostsModule],
  controllers: [ContentController],
  providers: [ContentService, ContentCatalog],
  exports: [ContentService, ContentCatalog],
})
export class ContentModule {}
