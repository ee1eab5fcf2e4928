import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { openApiDocument } from './openapi-document';

/**
 * Writes the OpenAPI document the api serves, without connecting to anything: Nest's preview
 * mode registers the routes but creates no providers. `node dist/openapi-export.js FILE`.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, ROLE: 'api' });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false });
  const document = JSON.stringify(openApiDocument(app), null, 2);
  const file = process.argv[2];
  if (file) writeFileSync(file, `${document}\n`);
  else process.stdout.write(`${document}\n`);
  await app.close();
}

void main();
