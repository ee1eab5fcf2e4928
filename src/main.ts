import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { startApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const started = await startApp(config);
  if (started.role !== 'worker') {
    const address = started.app.getHttpServer().address() as AddressInfo;
    new Logger('Main').log(`groupcast ${config.role} listening on port ${address.port}`);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`groupcast cannot start: ${message}\n`);
  process.exit(1);
});
