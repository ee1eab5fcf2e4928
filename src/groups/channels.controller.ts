import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { ChannelTestService } from './channel-test.service';
import { ChannelsService } from './channels.service';
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
}
