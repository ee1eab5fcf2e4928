import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdaptersModule } from '../delivery/adapters/adapters.module';
import { Channel } from './channel.entity';
import { ChannelTestService } from './channel-test.service';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { GroupTag } from './group-tag.entity';
import { Group } from './group.entity';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';
import { GroupImportService } from './group-import.service';

@Module({
  imports: [TypeOrmModule.forFeature([Channel, Group, GroupTag]), AdaptersModule],
  controllers: [ChannelsController, GroupsController],
  providers: [ChannelsService, GroupsService, GroupImportService, ChannelTestService],
  exports: [ChannelsService, GroupsService],
})
export class GroupsModule {}
