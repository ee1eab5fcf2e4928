import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';

export function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(name)) {
    throw new Error(`DATABASE_URL: the database name "${name}" must be 1-64 letters, digits, _, $ or -`);
  }
  return name;
}

export function typeormOptions(databaseUrl: string): DataSourceOptions {
  const url = new URL(databaseUrl);
  url.protocol = 'mysql:';
  return {
    type: 'mysql',
    url: url.toString(),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '[0-9]*-*.{ts,js}')],
    migrationsTableName: 'migrations',
    // multipleStatements: writeTogether and the worker's batched reads send several statements in one
    // round trip; every value still goes through a placeholder.
    extra: { connectionLimit: 20, decimalNumbers: true, multipleStatements: true },
  };
}
