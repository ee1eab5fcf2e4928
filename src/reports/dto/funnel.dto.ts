import { ApiProperty } from '@nestjs/swagger';
export class FunnelRowDto {
  /** Posts sent. */
  sent: number;
  /** Requests to the posts' short links from people (link previews left out). */
  clicks: number;
  /** One address on one post counts once. */
  uniqueClicks: number;
  /** Requests from chat apps' link-preview fetchers. */
  previews: number;
  /** Member impressions: Σ memberCount over sent posts whose group has one (a group of 200 sent 5 posts counts 1,000). */
  members: number;
  /** Members reached: Σ memberCount over the distinct groups sent a post (that group counts 200 however many posts it got). */
  reach: number;
  /** Unique clicks per 100 member impressions; null while no group of the sent posts has a memberCount. */
  @ApiProperty({ type: 'number', format: 'double', nullable: true })
  clicksPer100Members: number | null;
  /** Orders reported for these posts. */
  conversions: number;
  /** Their total amount, all currencies added together. */
  @ApiProperty({ type: 'number', format: 'double' })
  amount: number;
}

export class FunnelBreakdownRowDto extends FunnelRowDto {
  /** The step number (runs), content piece id (routines) or `run:<id>` / `routine:<id>` (a piece's stats). */
  key: string;
}

export class FunnelStageDto extends FunnelRowDto {
  stage: string;
  rows: FunnelBreakdownRowDto[];
}

export class FunnelGroupDto extends FunnelRowDto {
  groupId: string;
  name: string | null;
}

export class FunnelDto {
  /** What the rows under each stage are: `step`, `piece` or `source`. */
  breakdown: 'step' | 'piece' | 'source';
  totals: FunnelRowDto;
  /** In stage order; stages without posts left out. */
  stages: FunnelStageDto[];
  /** Groups with a sent post, a click or an order. */
  groupCount: number;
  /** The 20 best groups: by amount, then orders, then clicks per 100 members. */
  top: FunnelGroupDto[];
  /** The 20 weakest, weakest first (the same groups as top when there are 20 or fewer). */
  bottom: FunnelGroupDto[];
}

export class PostPreviewDto {
  postId: string;
  channelType: string;
  title: string;
  text: string;
  markdown: string;
  /** Where a card of the post leads (a short link where links are tracked); cards show it with the first picture. */
  link: string | null;
  /** Whether the post's channel sends its links as short links. */
  trackLinks: boolean;
  /** The links the short links lead to, by index (the link index of clicks and orders). */
  links: string[];
  /** The messages the post becomes on its channel, in the order they go. */
  parts: PartPreviewDto[];
  /** Why the post cannot go on its channel (too long for the provider); no parts then. */
  refused?: string;
  /** The pictures that go with the text, and how each arrives on the post's channel. */
  pictures: PicturePreviewDto[];
}

export class PartPreviewDto {
  /** The provider's message type or method: `markdown`, `image`, `news`, `actionCard`, `sendPhoto`, `interactive`… */
  type: string;
  text?: string;
  /** The text's size in UTF-8 bytes. */
  bytes?: number;
  /** The text's size in characters. */
  characters?: number;
  pictures?: PicturePreviewDto[];
  /** Where a card leads. */
  url?: string;
}

export class PicturePreviewDto {
  url: string;
  /** What the provider gets: a picture in its own form, or the link in the text. */
  as: string;
  /** The file's size, for providers that are sent the file (WeCom robots). */
  bytes?: number;
  /** Set when the picture will not arrive as a picture, or may not arrive. */
  warning?: string;
}
