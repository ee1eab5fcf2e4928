import { ApiProperty, IntersectionType, OmitType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsUUID, Min } from 'class-validator';
import { CreateContentDto } from '../../content/dto/content.dto';
import { IsInstant } from '../../common/instant.decorator';
import { PartPreviewDto, PicturePreviewDto } from './funnel.dto';
import { Omittable } from '../../common/omittable.decorator';

export const MAX_PREVIEW_CHANNELS = 12;

export class ChannelPreviewQuery {
  /** The group to render for (its name, zone and variables); a sample group in the default zone when left out. */
  @Omittable()
  @IsUUID()
  groupId?: string;

  /** The channels to show it on; when left out, the group's own channel and then the others by name, 12 at most. */
  @Omittable()
  @IsArray()
  @ArrayMaxSize(MAX_PREVIEW_CHANNELS)
  @IsUUID('all', { each: true })
  channelIds?: string[];

  /** The revision to render; the published one, else the latest, when left out. */
  @Omittable()
  @IsInt()
  @Min(1)
  revision?: number;

  /** The send time to render for (ISO 8601); now when left out. */
  @Omittable()
  @IsInstant()
  at?: string;
}

/** A piece as the editor has it, not saved yet, and where to show it: the same choices as a saved piece's preview. */
export class DraftPreviewDto extends IntersectionType(
  OmitType(CreateContentDto, ['slug', 'tags'] as const),
  OmitType(ChannelPreviewQuery, ['revision'] as const),
) {}

export class ChannelPartsDto {
  channelId: string;
  channelName: string;
  channelType: string;
  title: string;
  text: string;
  markdown: string;
  /** Where a card leads (the piece's own link: short links are made per post when it is sent). */
  link: string | null;
  /** The messages the piece becomes on this channel, in the order they go. */
  parts: PartPreviewDto[];
  /** Why it cannot go on this channel (too long for the provider); no parts then. */
  refused?: string;
  pictures: PicturePreviewDto[];
}

export class ChannelPreviewDto {
  /** Null for a draft not saved yet. */
  @ApiProperty({ type: 'string', nullable: true })
  contentId: string | null;
  @ApiProperty({ type: 'integer', nullable: true })
  revision: number | null;
  group: { id: string | null; name: string; timezone: string };
  channels: ChannelPartsDto[];
}
