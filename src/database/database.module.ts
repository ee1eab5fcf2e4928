import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { prepareDatabase } from './prepare-database';
import { typeormOptions } from './typeorm-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => typeormOptions(config.databaseUrl),
      dataSourceFactory: async (options) => prepareDatabase((options as { url: string }).url),
    }),
  ],
})
export class DatabaseModule {}
