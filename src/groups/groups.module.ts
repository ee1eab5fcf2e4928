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

@Module({
  imports: [TypeOrmModule.forFeature([Channel, Group, GroupTag]), ProvidersModule],
  controllers: [ChannelsController, GroupsController],
  providers: [
    ChannelsService,
    GroupsService,
    GroupChecks,
    GroupWriter,
    GroupDirectory,
    GroupImportService,
    ChannelTestService,
  ],
  exports: [ChannelsService, GroupDirectory, GroupWriter],
})
export class GroupsModule {}
