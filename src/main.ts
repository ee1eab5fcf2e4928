import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { startApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { withLocalSecretsKey } from './config/local-secrets-key';

async function main(): Promise<void> {
  const { env, created } = withLocalSecretsKey(process.env);
  const config = loadConfig(env);
  const started = await startApp(config);
  const logger = new Logger('Main');
  if (created)
    logger.log(
      `credentials and addresses are sealed with a key made for this machine in ${created}: keep it (sealed values cannot be read without it), or set SECRETS_KEYS`,
    );
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
  // One line, in the log's own JSON shape, on stderr: what a log collector and a person both read.
  pino({ base: { role: process.env.ROLE ?? 'all' } }, pino.destination({ dest: 2, sync: true })).fatal(
    `groupcast cannot start: ${message}`,
  );
  process.exit(1);
});
