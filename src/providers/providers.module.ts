import { Module } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { AdapterRegistry } from './adapter-registry';
import { CHANNEL_OPTIONS, ChannelOptions } from './channel-options';
import { ADAPTERS } from './channel-types';
import { CONSOLE_OUTPUT } from './console/console.adapter';
import { HttpClient } from './http/http-client';
import { PictureStore } from './media/picture-store';
import { FeishuImages } from './feishu/feishu-images';
import { WecomCustomerApi } from './wecom-customer/wecom-customer-api';
import { TargetChecks } from './target-checks';

@Module({
  providers: [
    HttpClient,
    AdapterRegistry,
    ...ADAPTERS,
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
    TargetChecks,
    PictureStore,
    WecomCustomerApi,
    FeishuImages,
  ],
  exports: [AdapterRegistry, HttpClient, TargetChecks, PictureStore, WecomCustomerApi],
})
export class ProvidersModule {}
