import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ChannelAdapter, ChannelDefinition } from './adapter';
import { CHANNELS, CHANNEL_DEFINITIONS, ChannelType } from './channel-types';

/** Each channel type's definition and, except for external channels, its adapter. */
@Injectable()
export class AdapterRegistry implements OnModuleInit {
  private readonly adapters = new Map<ChannelType, ChannelAdapter>();

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const channel of CHANNELS) {
      if ('adapter' in channel) this.adapters.set(channel.definition.type, this.moduleRef.get(channel.adapter));
    }
  }

  definition(type: ChannelType): ChannelDefinition {
    return CHANNEL_DEFINITIONS[type];
  }

  /** Undefined for external channels, whose posts are consumed outside groupcast. */
  adapter(type: ChannelType): ChannelAdapter | undefined {
    return this.adapters.get(type);
  }
}
