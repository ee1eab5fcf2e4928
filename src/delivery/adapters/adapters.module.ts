import { Module } from '@nestjs/common';
import { AdapterRegistry } from './adapter-registry';
import { ConsoleAdapter } from './console/console.adapter';
import { DingtalkAdapter } from './dingtalk/dingtalk.adapter';
import { FeishuAdapter } from './feishu/feishu.adapter';
import { HttpClient } from './http/http-client';
import { SlackAdapter } from './slack/slack.adapter';
import { TelegramAdapter } from './telegram/telegram.adapter';
import { WebhookAdapter } from './webhook/webhook.adapter';
import { WecomAdapter } from './wecom/wecom.adapter';

@Module({
  providers: [
    HttpClient,
    AdapterRegistry,
    ConsoleAdapter,
    WebhookAdapter,
    WecomAdapter,
    DingtalkAdapter,
    FeishuAdapter,
    SlackAdapter,
    TelegramAdapter,
  ],
  exports: [AdapterRegistry, HttpClient],
})
export class AdaptersModule {}
