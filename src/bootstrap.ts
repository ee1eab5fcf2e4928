import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { toErrorBody } from './common/http-exception.filter';
import { rejectPrototypeKeys } from './common/prototype-keys';
import { AppConfig } from './config/app-config';

export type StartedApp =
  | { role: 'worker'; app: INestApplicationContext }
  | { role: 'api' | 'all'; app: INestApplication };

/** Body-parser errors happen before routing, so they reach Express rather than Nest's filters. */
function bodyParserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const body = toErrorBody(error);
  if (!body || res.headersSent) return next(error);
  res.status(body.statusCode).json(body);
}

function setUpHttp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.useBodyParser('urlencoded', { limit: config.bodyLimit, extended: false });
  app.use(rejectPrototypeKeys);
  app.use(bodyParserErrors);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('groupcast')
      .setDescription('Content and campaign scheduler for chat-group communities')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

export async function startApp(config: AppConfig): Promise<StartedApp> {
  const module = AppModule.forRoot(config);
  if (config.role === 'worker') {
    const app = await NestFactory.createApplicationContext(module, { bufferLogs: true, abortOnError: false });
    app.useLogger(app.get(Logger));
    await app.init();
    return { role: 'worker', app };
  }
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  setUpHttp(app, config);
  await app.listen(config.port, '0.0.0.0');
  return { role: config.role, app };
}
