import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { prepareDatabase } from './prepare-database';
import { SecretBox, useSecretBox } from './sealed-json';
import { typeormOptions } from './typeorm-options';

type Options = ReturnType<typeof typeormOptions> & { url: string; statementTimeoutMs: number };

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Options => {
        // Secret columns are sealed and opened with this process's keys (see sealed-json.ts).
        useSecretBox(config.secretsKeys ? new SecretBox(config.secretsKeys) : undefined);
        return {
          ...typeormOptions(config.databaseUrl),
          url: config.databaseUrl,
          statementTimeoutMs: config.dbStatementTimeoutMs,
        };
      },
      dataSourceFactory: async (options) =>
        prepareDatabase((options as Options).url, (options as Options).statementTimeoutMs),
    }),
  ],
})
export class DatabaseModule {}
