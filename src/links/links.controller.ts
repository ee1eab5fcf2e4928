import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, AnyRole } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { AdapterRegistry } from '../channels/adapter-registry';
import { previewParts } from '../channels/media/picture-preview';
import { PictureStore } from '../channels/media/picture-store';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { ConversionsService } from './conversions.service';
import { ConversionDto, ReportConversionDto } from './dto/conversion.dto';
import { FunnelDto, PostPreviewDto } from './dto/funnel.dto';
import { GroupDirectory } from '../groups/group-directory.service';
import { PostsService } from '../posts/posts.service';
import { LinkTracker } from './link-tracker.service';
import { FunnelService } from './funnel.service';
import { RunsService } from '../campaigns/runs.service';
import { ContentService } from '../content/content.service';
import { RoutinesService } from '../routines/routines.service';

@ApiTags('conversions')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/conversions')
export class ConversionsController {
  constructor(private readonly conversions: ConversionsService) {}

  /**
   * A shop's order, credited to a sent post by the short-link code the buyer came through (or the
   * post id): 201 the first time, 200 with the same record when the key reports the order id again,
   * 409 when it comes again with another post, amount or currency. Order ids are the reporting key's
   * own: another key neither sees nor changes them.
   */
  @Post()
  @Allow('integration')
  @ApiErrors(400, 409, 422)
  @ApiCreatedResponse({ type: ConversionDto, description: 'the order, credited the first time it is reported' })
  @ApiOkResponse({
    type: ConversionDto,
    description: 'the same order reported again by the same key: the record as it stands',
  })
  async report(
    @Body() dto: ReportConversionDto,
    @CurrentPrincipal() reporter: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConversionDto> {
    const { created, conversion } = await this.conversions.report(dto, reporter);
    response.status(created ? 201 : 200);
    return conversion;
  }
}

@ApiTags('funnels')
@ApiBearerAuth()
@ApiErrors(401, 403, 404, 429)
@AnyRole()
@Controller('v1')
export class FunnelController {
  constructor(
    private readonly funnels: FunnelService,
    private readonly runs: RunsService,
    private readonly routines: RoutinesService,
    private readonly pieces: ContentService,
  ) {}

  /** Sent → clicks → orders per stage and step, and the 20 best and weakest groups. */
  @Get('runs/:id/funnel')
  async run(@UuidParam() id: string): Promise<FunnelDto> {
    await this.runs.find(id);
    return this.funnels.funnel({ runId: id }, 'step');
  }

  /** Sent → clicks → orders per stage and content piece, and the 20 best and weakest groups. */
  @Get('routines/:id/funnel')
  async routine(@UuidParam() id: string): Promise<FunnelDto> {
    await this.routines.get(id);
    return this.funnels.funnel({ routineId: id }, 'piece');
  }

  /** How a piece did wherever it was sent: per stage and per run or routine, and by group. */
  @Get('content/:id/stats')
  async content(@UuidParam() id: string): Promise<FunnelDto> {
    await this.pieces.get(id);
    return this.funnels.funnel({ contentId: id }, 'source');
  }
}

@ApiTags('posts')
@ApiBearerAuth()
@ApiErrors(401, 403, 404, 429)
@AnyRole()
@Controller('v1/posts')
export class PostPreviewController {
  constructor(
    private readonly posts: PostsService,
    private readonly groups: GroupDirectory,
    private readonly links: LinkTracker,
    private readonly adapters: AdapterRegistry,
    private readonly pictures: PictureStore,
  ) {}

  /** What the post says (or said) to its group, exactly as it goes out: short links where its channel tracks links. */
  @Get(':id/preview')
  async preview(@UuidParam() id: string): Promise<PostPreviewDto> {
    const post = await this.posts.find(id);
    const { group, channel } = await this.groups.deliveryTarget(post.groupId);
    const trackLinks = channel.config.trackLinks === true && this.links.enabled;
    const { links, ...texts } = await this.links.texts(post, group, trackLinks);
    const message = { ...texts, id, group: { id: group.id, name: group.name }, stage: post.stage, dueAt: post.dueAt };
    const preview = await previewParts(this.adapters, channel, message, this.pictures);
    const { title, text, markdown, link } = texts;
    return { postId: id, channelType: channel.type, title, text, markdown, link, trackLinks, links, ...preview };
  }
}
