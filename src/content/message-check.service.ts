import { Injectable } from '@nestjs/common';
import { ChannelParts, OutgoingMessage } from '../providers/adapter';
import { AdapterRegistry } from '../providers/adapter-registry';
import { CHANNELS, ChannelType } from '../providers/channel-types';
import { maxMessages, textMessages, tooManyMessages } from '../providers/message-count';
import { DomainError, ErrorDetail } from '../common/domain-error';
import { ChannelsService } from '../groups/channels.service';
import { KindRegistry } from '../templates/kind-registry.service';
import { PieceToRender, RendererService } from '../templates/renderer.service';

/**
 * How many messages a piece becomes on each channel type, at publish: on the channels configured,
 * or on one with the defaults for a type that has none. A piece that one post would turn into more
 * messages than a channel allows (a flood of split paragraphs) is refused, naming each type.
 */
@Injectable()
export class MessageCheck {
  constructor(
    private readonly adapters: AdapterRegistry,
    private readonly channels: ChannelsService,
    private readonly renderer: RendererService,
    private readonly kinds: KindRegistry,
  ) {}

  async check(piece: PieceToRender): Promise<void> {
    const message: OutgoingMessage = {
      ...this.renderer.texts(piece),
      id: piece.cacheKey,
      group: { id: piece.cacheKey, name: this.kinds.sampleGroup().name },
    };
    // Each type on the channels of it there are, or on one with the defaults when there is none.
    const configured: (ChannelParts & { type: ChannelType; name?: string })[] = await this.channels.all();
    const types = new Set(configured.map((c) => c.type));
    const defaults = CHANNELS.filter((c) => !types.has(c.definition.type)).map((c) => ({
      type: c.definition.type,
      config: {},
      credentials: {},
    }));
    const worst = new Map<ChannelType, string>();
    for (const channel of [...configured, ...defaults] as typeof configured) {
      const adapter = this.adapters.adapter(channel.type);
      if (!adapter || worst.has(channel.type)) continue;
      const where = channel.name ? `${channel.type} channel ${channel.name}` : channel.type;
      const flood = tooManyMessages(textMessages(adapter.parts(message, channel)), maxMessages(channel.config), where);
      if (flood) worst.set(channel.type, flood);
    }
    if (worst.size === 0) return;
    const field = piece.body ? 'body' : 'fields';
    throw DomainError.invalid([...worst.values()].map((message): ErrorDetail => ({ field, message })));
  }
}
