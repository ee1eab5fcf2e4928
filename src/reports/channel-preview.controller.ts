import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../auth/access.decorator';
import { AdapterRegistry } from '../providers/adapter-registry';
import { previewParts } from '../providers/media/picture-preview';
import { PictureStore } from '../providers/media/picture-store';
import { ApiErrors } from '../common/api-errors.decorator';
import { DomainError } from '../common/domain-error';
import { UuidParam } from '../common/id-param';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ContentService } from '../content/content.service';
import { ChannelsService } from '../groups/channels.service';
import { GroupDirectory } from '../groups/group-directory.service';
import { RenderGroup } from '../templates/render-context';
import { PieceTexts, RendererService } from '../templates/renderer.service';
import { randomUUID } from 'node:crypto';
import {
  ChannelPartsDto,
  ChannelPreviewDto,
  ChannelPreviewQuery,
  DraftPreviewDto,
  MAX_PREVIEW_CHANNELS,
} from './dto/channel-preview.dto';
import { LinkTracker } from '../links/link-tracker.service';

const SAMPLE_GROUP = '示例群';

@ApiTags('content')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 429)
@AnyRole()
@Controller('v1/content')
export class ChannelPreviewController {
  constructor(
    private readonly pieces: ContentService,
    private readonly groups: GroupDirectory,
    private readonly channels: ChannelsService,
    private readonly links: LinkTracker,
    private readonly adapters: AdapterRegistry,
    private readonly pictures: PictureStore,
    private readonly renderer: RendererService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A piece side by side on each channel, exactly as its provider would get it for a group: the
   * messages it becomes, their sizes, and how each picture arrives. Writes nothing.
   */
  @Post(':id/channel-preview')
  @HttpCode(200)
  async preview(@UuidParam() id: string, @Body() query: ChannelPreviewQuery): Promise<ChannelPreviewDto> {
    const piece = await this.pieces.get(id);
    const revision = query.revision ?? piece.publishedRevision ?? piece.revision;
    if (revision > piece.revision) {
      throw DomainError.invalid([{ field: 'revision', message: `revision ${revision} does not exist` }]);
    }
    const { group, channels } = await this.where(query);
    const post = { id, contentId: id, revision, dueAt: query.at ? new Date(query.at) : new Date(), stage: null };
    const { links: _links, ...texts } = await this.links.texts(post, group, false);
    return { contentId: id, revision, ...(await this.sideBySide(id, texts, group, channels, post.dueAt)) };
  }

  /**
   * A piece not saved yet, side by side on each channel, as the editor types it: its fields are
   * checked against the kind's schema (400 naming the field) and nothing is written.
   */
  @Post('channel-preview')
  @HttpCode(200)
  async draft(@Body() draft: DraftPreviewDto): Promise<ChannelPreviewDto> {
    const kind = this.renderer.kind(draft.kind);
    this.renderer.validateFields(kind, draft.fields);
    if (draft.body) this.renderer.checkBody(kind, draft.body);
    const { group, channels } = await this.where(draft);
    const dueAt = draft.at ? new Date(draft.at) : new Date();
    const texts = this.renderer.texts(draft, group, { dueAt, stage: null });
    return { contentId: null, revision: null, ...(await this.sideBySide(randomUUID(), texts, group, channels, dueAt)) };
  }

  /** The group to render for (or the sample group) and the channels to show. */
  private async where(query: { groupId?: string; channelIds?: string[] }) {
    const target = query.groupId ? await this.groups.deliveryTarget(query.groupId) : undefined;
    const group: RenderGroup & { id: string | null } = target
      ? { id: target.group.id, name: target.group.name, timezone: target.group.timezone, vars: target.group.vars }
      : { id: null, name: SAMPLE_GROUP, timezone: this.config.tzDefault, vars: {} };
    return { group, channels: await this.channelsFor(query.channelIds, target?.channel.id) };
  }

  private async sideBySide(
    id: string,
    texts: PieceTexts,
    group: RenderGroup & { id: string | null },
    channels: Awaited<ReturnType<ChannelsService['all']>>,
    dueAt: Date,
  ): Promise<Pick<ChannelPreviewDto, 'group' | 'channels'>> {
    const message = { ...texts, id, group: { id: group.id ?? id, name: group.name }, stage: '', dueAt };
    const shown: ChannelPartsDto[] = [];
    for (const channel of channels) {
      const parts = await previewParts(this.adapters, channel, message, this.pictures);
      const { title, text, markdown, link } = texts;
      shown.push({
        channelId: channel.id,
        channelName: channel.name,
        channelType: channel.type,
        title,
        text,
        markdown,
        link,
        ...parts,
      });
    }
    return { group: { id: group.id, name: group.name, timezone: group.timezone }, channels: shown };
  }

  private async channelsFor(ids: string[] | undefined, own: string | undefined) {
    if (ids) {
      const found = await this.channels.findMany(ids);
      const missing = ids.find((channelId) => !found.has(channelId));
      if (missing) throw DomainError.notFound('channel', missing);
      return ids.map((channelId) => found.get(channelId)!);
    }
    const all = await this.channels.all();
    const first = all.filter((c) => c.id === own);
    return [...first, ...all.filter((c) => c.id !== own)].slice(0, MAX_PREVIEW_CHANNELS);
  }
}
