import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { PostsModule } from '../posts/posts.module';
import { RoutineMaterializer } from './routine-materializer.service';
import { RoutinePlanner } from './routine-planner.service';
import { Routine } from './routine.entity';
import { RoutinesController } from './routines.controller';
import { RoutinesService } from './routines.service';

@Module({
  imports: [TypeOrmModule.forFeature([Routine]), ContentModule, GroupsModule, PostsModule],
  controllers: [RoutinesController],
  providers: [RoutinesService, RoutinePlanner, RoutineMaterializer],
  exports: [RoutineMaterializer, RoutinesService],
})
export class RoutinesModule {}
