import { Type } from '@nestjs/common';
import { ChannelAdapter, ChannelDefinition } from './adapter';
import { CONSOLE, ConsoleAdapter } from './console/console.adapter';
import { DINGTALK, DingtalkAdapter } from './dingtalk/dingtalk.adapter';
import { EXTERNAL } from './external/external.channel';
import { FEISHU, FeishuAdapter } from './feishu/feishu.adapter';
import { SLACK, SlackAdapter } from './slack/slack.adapter';
import { TELEGRAM, TelegramAdapter } from './telegram/telegram.adapter';
import { WEBHOOK, WebhookAdapter } from './webhook/webhook.adapter';
import { WECOM, WecomAdapter } from './wecom/wecom.adapter';
import { WecomCustomerAdapter } from './wecom-customer/wecom-customer.adapter';
import { WECOM_CUSTOMER_GROUP } from './wecom-customer/wecom-customer.definition';

/**
 * Every channel type: its definition and, except for external channels (a consumer outside
 * groupcast sends their posts), its adapter. A new type is its own folder and one line here;
 * its queue, its processor and its place in validation follow from this list.
 */
export const CHANNELS = [
  { definition: CONSOLE, adapter: ConsoleAdapter },
  { definition: WEBHOOK, adapter: WebhookAdapter },
  { definition: WECOM, adapter: WecomAdapter },
  { definition: DINGTALK, adapter: DingtalkAdapter },
  { definition: FEISHU, adapter: FeishuAdapter },
  { definition: SLACK, adapter: SlackAdapter },
  { definition: TELEGRAM, adapter: TelegramAdapter },
  { definition: WECOM_CUSTOMER_GROUP, adapter: WecomCustomerAdapter },
  { definition: EXTERNAL },
] as const satisfies readonly { definition: ChannelDefinition; adapter?: Type<ChannelAdapter> }[];

export type ChannelType = (typeof CHANNELS)[number]['definition']['type'];
export const CHANNEL_TYPES: readonly ChannelType[] = CHANNELS.map((c) => c.definition.type);
export const CHANNEL_DEFINITIONS = Object.fromEntries(CHANNELS.map((c) => [c.definition.type, c.definition])) as Record<
  ChannelType,
  ChannelDefinition<ChannelType>
>;
/** The adapter classes, for the module to provide. */
export const ADAPTERS: Type<ChannelAdapter>[] = CHANNELS.flatMap((c) => ('adapter' in c ? [c.adapter] : []));
