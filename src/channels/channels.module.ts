import { Module } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { AdapterRegistry } from './adapter-registry';
import { CHANNEL_OPTIONS, ChannelOptions } from './channel-options';
import { CONSOLE_OUTPUT, ConsoleAdapter } from './console/console.adapter';
import { DingtalkAdapter } from './dingtalk/dingtalk.adapter';
import { FeishuAdapter } from './feishu/feishu.adapter';
import { HttpClient } from './http/http-client';
import { TargetChecks } from './target-checks';
import { SlackAdapter } from './slack/slack.adapter';
import { TelegramAdapter } from './telegram/telegram.adapter';
import { WebhookAdapter } from './webhook/webhook.adapter';
import { WecomAdapter } from './wecom/wecom.adapter';

@Module({
  providers: [
    HttpClient,
    AdapterRegistry,
    ConsoleAdapter,
    {
      provide: CONSOLE_OUTPUT,
      inject: [CHANNEL_OPTIONS],
      // Posts printed by the console channel stay out of the JSON log stream on stdout.
      useFactory: ({ consoleOutput }: ChannelOptions) =>
        consoleOutput === 'stderr'
          ? process.stderr
          : consoleOutput === 'stdout'
            ? process.stdout
            : createWriteStream(consoleOutput, { flags: 'a' }),
    },
    WebhookAdapter,
    WecomAdapter,
    DingtalkAdapter,
    FeishuAdapter,
    SlackAdapter,
    TelegramAdapter,
    TargetChecks,
  ],
  exports: [AdapterRegistry, HttpClient, TargetChecks],
})
export class ChannelsModule {}
