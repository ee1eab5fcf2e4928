import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentPiece } from './content-piece.entity';
import { ContentRevision } from './content-revision.entity';
import { ContentTag } from './content-tag.entity';
import { ContentController } from './content.controller';
import { ContentService } from './content.service';
import { SchedulingModule } from '../scheduling/scheduling.module';

@Module({
  imports: [TypeOrmModule.forFeature([ContentPiece, ContentRevision, ContentTag]), SchedulingModule],
  controllers: [ContentController],
  providers: [ContentService],
  exports: [ContentService],
})
export class ContentModule {}
