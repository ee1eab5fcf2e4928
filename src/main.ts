import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { startApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const started = await startApp(config);
  const logger = new Logger('Main');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: finishing work in hand and stopping`);
    started.app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(`could not stop cleanly: ${String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);
  if (started.role !== 'worker') {
    const address = started.app.getHttpServer().address() as AddressInfo;
    logger.log(`groupcast ${config.role} listening on port ${address.port}`);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`groupcast cannot start: ${message}\n`);
  process.exit(1);
});
