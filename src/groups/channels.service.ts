import { EventEmitter2 } from '@nestjs/event-emitter';
import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client';
import { REDIS } from '../redis/redis.module';
import { InjectRepository } from '@nestjs/typeorm';
import type { ValidateFunction } from 'ajv';
import { In, Repository } from 'typeorm';
import { isDuplicateKey } from '../database/mysql';
import { DomainError, ErrorDetail } from '../common/domain-error';
import { createAjv, schemaErrorDetails } from '../common/json-schema-validation';
import { ChannelConfig, ChannelDefinition, ChannelSettings, baseUrlOf } from '../providers/adapter';
import { TargetChecks } from '../providers/target-checks';
import { WINDOW_KEYS, effectiveRateLimits } from '../providers/rate-limits';
import { AdapterRegistry } from '../providers/adapter-registry';
import { ChannelType } from '../providers/channel-types';
import { SchemaNode } from '../common/schema-node';
import { CHANNEL_ENABLED, ChannelEnabled } from './group-events';
import { Channel } from './channel.entity';
import { ChannelDetailDto, ChannelDto, CreateChannelDto, GatewayStatusDto, UpdateChannelDto } from './dto/channel.dto';
import { maskFields } from './secrets';

const QUEUE_SAFE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

@Injectable()
export class ChannelsService {
  private readonly ajv = createAjv();
  private readonly validators = new Map<SchemaNode, ValidateFunction>();

  constructor(
    @InjectRepository(Channel) private readonly channels: Repository<Channel>,
    private readonly adapters: AdapterRegistry,
    private readonly targets: TargetChecks,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly events: EventEmitter2,
  ) {}

  async create(dto: CreateChannelDto): Promise<ChannelDto> {
    const definition = this.adapters.definition(dto.type);
    const config = await this.checkConfig(definition, dto.config ?? {});
    const credentials = this.checkCredentials(definition, dto.credentials);
    this.checkName(dto.type, dto.name);
    const channel = await this.save(
      this.channels.create({
        name: dto.name,
        type: dto.type,
        config,
        credentials,
        status: 'active',
        disabledReason: null,
      }),
    );
    return this.view(channel);
  }

  async list(): Promise<ChannelDto[]> {
    return (await this.all()).map((c) => this.view(c));
  }

  async get(id: string): Promise<ChannelDetailDto> {
    const channel = await this.find(id);
    if (channel.type !== 'external') return this.view(channel);
    const reported = await this.redis.get(`gateway:${channel.name}`);
    return { ...this.view(channel), gateway: reported ? (JSON.parse(reported) as GatewayStatusDto) : null };
  }

  async update(id: string, dto: UpdateChannelDto): Promise<ChannelDto> {
    const channel = await this.find(id);
    const definition = this.adapters.definition(channel.type);
    if (dto.name !== undefined) {
      this.checkName(channel.type, dto.name);
      channel.name = dto.name;
    }
    if (dto.config !== undefined) channel.config = await this.checkConfig(definition, dto.config);
    if (dto.credentials !== undefined) channel.credentials = this.checkCredentials(definition, dto.credentials);
    return this.view(await this.save(channel));
  }

  async find(id: string): Promise<Channel> {
    const channel = await this.channels.findOneBy({ id });
    if (!channel) throw DomainError.notFound('channel', id);
    return channel;
  }

  /** Stops every post of the channel: its posts wait with the reason until it is enabled again. */
  async disableByHand(id: string, reason: string): Promise<ChannelDto> {
    await this.find(id);
    await this.channels.update({ id }, { status: 'disabled', disabledReason: reason });
    return this.view(await this.find(id));
  }

  /** A disabled channel sends again; the posts held for it go now. */
  async enable(id: string): Promise<ChannelDto> {
    const channel = await this.find(id);
    if (channel.status === 'disabled') {
      await this.channels.update({ id }, { status: 'active', disabledReason: null });
      await this.events.emitAsync(CHANNEL_ENABLED, { channelId: id } satisfies ChannelEnabled);
    }
    return this.view(await this.find(id));
  }

  /** Every channel, by name, with its settings (for previews; never answered as such). */
  all(): Promise<Channel[]> {
    return this.channels.find({ order: { name: 'ASC' } });
  }

  async findMany(ids: string[]): Promise<Map<string, Channel>> {
    if (ids.length === 0) return new Map();
    const channels = await this.channels.findBy({ id: In(ids) });
    return new Map(channels.map((c) => [c.id, c]));
  }

  settings(channel: Channel): ChannelSettings {
    return {
      id: channel.id,
      name: channel.name,
      type: channel.type,
      config: channel.config,
      credentials: channel.credentials,
    };
  }

  /** Validates a value against one of a channel type's schemas; problems are named under `prefix`. */
  schemaProblems(schema: SchemaNode, value: unknown, prefix: string, owner: string): ErrorDetail[] {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(schema, validate);
    }
    return validate(value) ? [] : schemaErrorDetails(validate.errors, prefix, owner);
  }

  private checkName(type: ChannelType, name: string): void {
    if (type === 'external' && !QUEUE_SAFE_NAME.test(name)) {
      throw DomainError.invalid([
        { field: 'name', message: 'an external channel names its queue: use a-z, 0-9, _ and -, at most 64' },
      ]);
    }
  }

  private async checkConfig(definition: ChannelDefinition, config: Record<string, unknown>): Promise<ChannelConfig> {
    const details = this.schemaProblems(
      definition.configSchema,
      config,
      'config',
      `a ${definition.type} channel's config`,
    );
    if (details.length > 0) throw DomainError.invalid(details);
    const checked = config as ChannelConfig;
    for (const limit of definition.rateLimits) {
      const key = WINDOW_KEYS[limit.windowMs];
      const asked = key ? checked.rateLimit?.[key] : undefined;
      if (asked !== undefined && asked > limit.limit) {
        details.push({
          field: `config.rateLimit.${key}`,
          message: `can only lower the provider's limit of ${limit.limit}`,
        });
      }
    }
    const baseUrlProblem =
      checked.baseUrl === undefined
        ? undefined
        : await this.targets.baseUrlProblem(definition, new URL(checked.baseUrl));
    if (baseUrlProblem) details.push({ field: 'config.baseUrl', message: baseUrlProblem });
    const trackLinksProblem = checked.trackLinks ? this.targets.trackLinksProblem() : undefined;
    if (trackLinksProblem) details.push({ field: 'config.trackLinks', message: trackLinksProblem });
    if (details.length > 0) throw DomainError.invalid(details);
    return checked;
  }

  private checkCredentials(
    definition: ChannelDefinition,
    credentials: Record<string, unknown> | undefined,
  ): Record<string, string> {
    if (!definition.credentialsSchema) {
      if (credentials && Object.keys(credentials).length > 0) {
        throw DomainError.invalid([
          {
            field: 'credentials',
            message: `a ${definition.type} channel keeps no credentials; its secrets go in each group's address`,
          },
        ]);
      }
      return {};
    }
    const details = this.schemaProblems(
      definition.credentialsSchema,
      credentials ?? {},
      'credentials',
      `a ${definition.type} channel's credentials`,
    );
    if (details.length > 0) throw DomainError.invalid(details);
    return (credentials ?? {}) as Record<string, string>;
  }

  private async save(channel: Channel): Promise<Channel> {
    try {
      return await this.channels.save(channel);
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw DomainError.conflict(`a channel named ${channel.name} exists`, [
          { field: 'name', message: 'is already used by another channel' },
        ]);
      }
      throw error;
    }
  }

  private view(channel: Channel): ChannelDto {
    const definition = this.adapters.definition(channel.type);
    return {
      id: channel.id,
      name: channel.name,
      type: channel.type,
      config: channel.config as Record<string, unknown>,
      baseUrl: baseUrlOf(definition, channel.config) ?? null,
      credentials: maskFields(channel.credentials, definition.secretFields),
      rateLimits: effectiveRateLimits(definition, channel.config),
      status: channel.status,
      disabledReason: channel.disabledReason,
      createdAt: channel.createdAt,
      updatedAt: channel.updatedAt,
    };
  }
}
