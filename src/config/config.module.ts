import { DynamicModule, Global, Module } from '@nestjs/common';
import { CHANNEL_OPTIONS } from '../providers/channel-options';
import { AppConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CHANNEL_OPTIONS, useValue: config },
      ],
      exports: [APP_CONFIG, CHANNEL_OPTIONS],
    };
  }
}
