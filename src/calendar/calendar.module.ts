import { Module } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { PolicyModule } from '../policy/policy.module';
import { RoutinesModule } from '../routines/routines.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

/** The calendar and group timelines: a read model over posts, groups, routines and content. */
@Module({
  imports: [GroupsModule, PolicyModule, RoutinesModule],
  controllers: [CalendarController],
  providers: [CalendarService],
})
export class CalendarModule {}
