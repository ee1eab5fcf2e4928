import { IsName } from '../../common/name.decorator';
import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsString, IsUUID, Length } from 'class-validator';
import { CHANNEL_TYPES, ChannelType } from '../../providers/channel-types';
import { ChannelStatus } from '../channel.entity';
import { Omittable } from '../../common/omittable.decorator';

export class CreateChannelDto {
  /** A unique name; for external channels also the queue name, so letters, digits, _ and - only. */
  @IsName(100)
  name: string;

  @IsIn(CHANNEL_TYPES)
  type: ChannelType;

  /** Per type: baseUrl, format, keywords, mentionAll, region, rateLimit {perSecond, perMinute}, timeoutMs, retryAmbiguous. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @Omittable()
  @IsObject()
  config?: Record<string, unknown>;

  /** Account-wide secrets, write-only: Telegram `{ botToken }`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @Omittable()
  @IsObject()
  credentials?: Record<string, unknown>;
}

/** Config is replaced whole; credentials are replaced when given and kept when left out. */
export class UpdateChannelDto extends PartialType(OmitType(CreateChannelDto, ['type']), {
  skipNullProperties: false,
}) {}

export class TestSendDto {
  /** A group of this channel to send to. */
  @IsUUID()
  groupId: string;

  /** Sent as is, as text and as markdown. */
  @IsString()
  @Length(1, 4000)
  text: string;

  /**
   * On a channel whose owner confirms each send (WeCom customer groups): true to create the real
   * mass-message task the owner must confirm, which counts against the group's receive cap.
   */
  @Omittable()
  @IsBoolean()
  ownerTask?: boolean;
}

export class DisableChannelDto {
  /** Why, for the operators who see its posts wait (e.g. "robot moved to a new group"). */
  @IsString()
  @Length(1, 300)
  reason: string;
}

export class RateLimitDto {
  limit: number;
  windowMs: number;
}

export class ChannelDto {
  id: string;
  name: string;
  type: ChannelType;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  config: Record<string, unknown>;
  /** The provider base URL in use. */
  baseUrl: string | null;
  /** Masked: at most the last four characters. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  credentials: Record<string, string>;
  /** Sends allowed per group address: the provider's limits, lowered by config.rateLimit. */
  rateLimits: RateLimitDto[];
  status: ChannelStatus;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a gateway consuming an external channel (the Wechaty gateway) last reported. */
export class GatewayStatusDto {
  /** The account it is logged in as; null while logged out. */
  loggedInAs: string | null;
  lastSeen: string;
  /** Sends allowed per quota window, and used in the current one. */
  quota?: number;
  sentInWindow?: number;
  /** Set while the account is paused after WeChat said too frequent. */
  pausedUntil?: string | null;
}

export class ChannelDetailDto extends ChannelDto {
  /** External channels: the gateway's last report (within the last 30 s), or null when none is running. */
  @ApiPropertyOptional({ type: GatewayStatusDto, nullable: true })
  gateway?: GatewayStatusDto | null;
}

export class TestSendResultDto {
  /** ok · awaiting_confirmation (the owner must confirm it first) · rate · transient · permanent · ambiguous · moved */
  outcome: string;
  externalId?: string;
  code?: string;
  reason?: string;
  retryAfterMs?: number;
  partsSent?: number;
  /** Set when the provider moved the chat (Telegram supergroup) and the group's address was updated. */
  addressUpdated?: boolean;
}
