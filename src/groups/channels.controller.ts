import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { ChannelTestService } from './channel-test.service';
import { ChannelsService } from './channels.service';
import { GroupSyncs } from './sync/group-syncs.service';
import { GroupSyncDto, GroupSyncListDto } from './dto/group-sync.dto';
import { ProviderEventListDto } from './dto/provider-event.dto';
import { WecomCallbacks } from './sync/wecom-callbacks.service';
import {
  ChannelDetailDto,
  ChannelDto,
  CreateChannelDto,
  DisableChannelDto,
  TestSendDto,
  TestSendResultDto,
  UpdateChannelDto,
} from './dto/channel.dto';

@ApiTags('channels')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly tester: ChannelTestService,
    private readonly syncs: GroupSyncs,
    private readonly callbacks: WecomCallbacks,
  ) {}

  @Post()
  @ApiErrors(400, 409)
  create(@Body() dto: CreateChannelDto): Promise<ChannelDto> {
    return this.channels.create(dto);
  }

  @Get()
  @Allow('planner', 'viewer')
  list(): Promise<ChannelDto[]> {
    return this.channels.list();
  }

  @Get(':id')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<ChannelDetailDto> {
    return this.channels.get(id);
  }

  @Patch(':id')
  @ApiErrors(400, 404, 409)
  update(@UuidParam() id: string, @Body() dto: UpdateChannelDto): Promise<ChannelDto> {
    return this.channels.update(id, dto);
  }

  /** Stops every post of the channel until it is enabled again: they wait, with the reason given. */
  @Post(':id/disable')
  @Allow('planner')
  @HttpCode(200)
  @ApiErrors(400, 404)
  disable(@UuidParam() id: string, @Body() dto: DisableChannelDto): Promise<ChannelDto> {
    return this.channels.disableByHand(id, dto.reason);
  }

  /** Sends again after the channel was disabled; the posts held for it go now. */
  @Post(':id/enable')
  @Allow('planner')
  @HttpCode(200)
  @ApiErrors(400, 404)
  enable(@UuidParam() id: string): Promise<ChannelDto> {
    return this.channels.enable(id);
  }

  /** Sends one message to one of the channel's groups now and returns the provider's answer, classified. */
  @Post(':id/test-send')
  @HttpCode(200)
  @ApiErrors(400, 404)
  testSend(@UuidParam() id: string, @Body() dto: TestSendDto): Promise<TestSendResultDto> {
    return this.tester.testSend(id, dto);
  }

  /**
   * Reads the channel's groups from its provider now. Only a `wecom_customer_group` channel lists
   * its groups; any other type gets 400. New groups are created with the tags of `config.sync.tagRules`, changed ones updated, and groups the provider
   * no longer lists archived as dismissed. The worker runs it; poll `GET /v1/channels/{id}/syncs`.
   */
  @Post(':id/sync')
  @HttpCode(202)
  @ApiErrors(400, 404)
  sync(@UuidParam() id: string): Promise<GroupSyncDto> {
    return this.syncs.request(id);
  }

  /** The channel's latest syncs, newest first, with what each found. */
  @Get(':id/syncs')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  async syncsOf(@UuidParam() id: string): Promise<GroupSyncListDto> {
    return { items: await this.syncs.list(id) };
  }

  /** What the provider told groupcast about the channel's groups (WeCom's customer-group callbacks), newest first. */
  @Get(':id/events')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  async eventsOf(@UuidParam() id: string): Promise<ProviderEventListDto> {
    return { items: await this.callbacks.list(id) };
  }
}
