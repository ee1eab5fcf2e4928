import { Module } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AdapterRegistry } from './adapter-registry';
import { CONSOLE_OUTPUT, ConsoleAdapter } from './console/console.adapter';
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
    {
      provide: CONSOLE_OUTPUT,
      inject: [APP_CONFIG],
      // Posts printed by the console channel stay out of the JSON log stream on stdout.
      useFactory: ({ consoleOutput }: AppConfig) =>
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
  ],
  exports: [AdapterRegistry, HttpClient],
})
export class AdaptersModule {}
