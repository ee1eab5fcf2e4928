import { Injectable } from '@nestjs/common';
import { ChannelAdapter, ChannelDefinition } from './adapter';
import { ChannelType } from './channel-types';
import { CONSOLE, ConsoleAdapter } from './console/console.adapter';
import { DINGTALK, DingtalkAdapter } from './dingtalk/dingtalk.adapter';
import { EXTERNAL } from './external/external.channel';
import { FEISHU, FeishuAdapter } from './feishu/feishu.adapter';
import { SLACK, SlackAdapter } from './slack/slack.adapter';
import { TELEGRAM, TelegramAdapter } from './telegram/telegram.adapter';
import { WEBHOOK, WebhookAdapter } from './webhook/webhook.adapter';
import { WECOM, WecomAdapter } from './wecom/wecom.adapter';

export const CHANNEL_DEFINITIONS: Record<ChannelType, ChannelDefinition> = {
  console: CONSOLE,
  webhook: WEBHOOK,
  wecom: WECOM,
  dingtalk: DINGTALK,
  feishu: FEISHU,
  slack: SLACK,
  telegram: TELEGRAM,
  external: EXTERNAL,
};

/** Each channel type's definition and, except for external channels, its adapter. */
@Injectable()
export class AdapterRegistry {
  private readonly adapters: Partial<Record<ChannelType, ChannelAdapter>>;

  constructor(
    console: ConsoleAdapter,
    webhook: WebhookAdapter,
    wecom: WecomAdapter,
    dingtalk: DingtalkAdapter,
    feishu: FeishuAdapter,
    slack: SlackAdapter,
    telegram: TelegramAdapter,
  ) {
    this.adapters = { console, webhook, wecom, dingtalk, feishu, slack, telegram };
  }

  definition(type: ChannelType): ChannelDefinition {
    return CHANNEL_DEFINITIONS[type];
  }

  /** Undefined for external channels, whose posts are consumed outside groupcast. */
  adapter(type: ChannelType): ChannelAdapter | undefined {
    return this.adapters[type];
  }
}
