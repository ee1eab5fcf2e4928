import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProvidersModule } from '../providers/providers.module';
import { Channel } from './channel.entity';
import { ChannelTestService } from './channel-test.service';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { GroupTag } from './group-tag.entity';
import { Group } from './group.entity';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';
import { GroupDirectory } from './group-directory.service';
import { GroupImportService } from './group-import.service';
import { GroupChecks } from './group-checks.service';
import { GroupWriter } from './group-writer.service';
import { CustomerGroupSync } from './sync/customer-group-sync.service';
import { GroupSync } from './sync/group-sync.entity';
import { GroupSyncs } from './sync/group-syncs.service';
import { ProviderEvent } from './sync/provider-event.entity';
import { WecomCallbacks } from './sync/wecom-callbacks.service';
import { WecomCallbacksController } from './sync/wecom-callbacks.controller';
import { HolidaysController } from './holidays.controller';
import { HolidayBlackouts } from './holiday-blackouts.service';

@Module({
  imports: [TypeOrmModule.forFeature([Channel, Group, GroupTag, GroupSync, ProviderEvent]), ProvidersModule],
  controllers: [ChannelsController, GroupsController, WecomCallbacksController, HolidaysController],
  providers: [
    ChannelsService,
    GroupsService,
    GroupChecks,
    GroupWriter,
    GroupDirectory,
    GroupImportService,
    ChannelTestService,
    CustomerGroupSync,
    GroupSyncs,
    WecomCallbacks,
    HolidayBlackouts,
  ],
  exports: [ChannelsService, GroupDirectory, GroupWriter, GroupSyncs],
})
export class GroupsModule {}
