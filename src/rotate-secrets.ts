import 'reflect-metadata';
import { loadConfig } from './config/app-config';
import { prepareDatabase } from './database/prepare-database';
import { SecretBox, useSecretBox } from './database/sealed-json';
import { rotateSecrets } from './groups/secret-rotation';

/**
 * npm run secrets:rotate: seals every stored secret with the first key of SECRETS_KEYS. Put the
 * new key first in every process's SECRETS_KEYS (the old ones after it), restart them, then run
 * this; afterwards the old keys may go.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.secretsKeys) throw new Error('SECRETS_KEYS is not set: there is no key to seal with');
  const box = new SecretBox(config.secretsKeys);
  useSecretBox(box);
  const dataSource = await prepareDatabase(config.databaseUrl, 0);
  try {
    const report = await rotateSecrets(dataSource, box);
    console.log(
      `sealed with key ${report.keyId}: ${report.sealed.channels} channel credentials, ${report.sealed.groups} group addresses (the rest already were)`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
