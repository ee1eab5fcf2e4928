import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import helmet from 'helmet';
import { json, text, urlencoded, type NextFunction, type Request, type Response } from 'express';
import { resolve, sep } from 'node:path';
import expressStaticGzip from 'express-static-gzip';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { openApiDocument } from './openapi/openapi-document';
import { preflight } from './system/preflight';
import { toErrorBody } from './common/http-exception.filter';
import { checkBodyShape } from './common/body-shape';
import { jsonBodiesOnly } from './common/json-bodies';
import { handleParserErrors } from './common/http-parser-errors';
import { methodNotAllowed } from './common/method-not-allowed';
import { AppConfig } from './config/app-config';
import { Metrics } from './observability/metrics';
import { QUEUE_BOARD_PATH, mountQueueBoard } from './observability/queue-board';

/** The operator console's build (console/, `npm run build`), served as static files. */
const CONSOLE_DIR = resolve(__dirname, '..', 'console', 'dist');

const BULK_ROUTES = ['/v1/groups/bulk'];

export type StartedApp =
  { role: 'worker'; app: INestApplicationContext } | { role: 'api' | 'all'; app: INestApplication };

/** Body-parser errors happen before routing, so they reach Express rather than Nest's filters. */
function bodyParserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const body = toErrorBody(error);
  if (!body || res.headersSent) return next(error);
  res.status(body.statusCode).json(body);
}

/** Where apps are mounted: what they answer counts under the mount point. */
const MOUNTS = [QUEUE_BOARD_PATH, '/console', '/docs'];
/** Methods a series may name; any other a client sends counts as OTHER. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Request duration by the route that answered (its pattern, so ids do not make new series); what
 * a mounted app answers (the console, Bull Board) counts under its mount point as written here,
 * since paths match whatever their case: a client's spelling (`/ADMIN/Queues`) makes no new series.
 */
function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const done = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const base = req.baseUrl.toLowerCase().replace(/\/+$/, '');
      const mount = MOUNTS.find((m) => m === base);
      const where = route && !req.baseUrl ? route : (mount ?? 'unmatched');
      done({ method: METHODS.has(req.method) ? req.method : 'OTHER', route: where, status: res.statusCode });
    });
    next();
  };
}

function setUpHttp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  app.use(httpMetrics(app.get(Metrics)));
  // Versioned resources send their version as the ETag (VersionEtag); a body hash would not match If-Match.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  // The first parser that reads a body wins; the bulk route's larger limit comes before everyone else's.
  app.use('/v1', jsonBodiesOnly);
  app.use(BULK_ROUTES, json({ limit: config.bulkBodyLimit }));
  // Providers' callbacks are read as they were sent: WeCom's is XML, and its signature is over the text.
  app.use('/hooks', text({ type: () => true, limit: config.bodyLimit }));
  app.use(json({ limit: config.bodyLimit }), urlencoded({ limit: config.bodyLimit, extended: false }));
  app.use(checkBodyShape);
  app.use(bodyParserErrors);
  if (config.corsOrigins.length > 0)
    app.enableCors({
      origin: config.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key'],
      exposedHeaders: ['ETag', 'Retry-After'],
    });
  const document = openApiDocument(app);
  app.use(methodNotAllowed(document.paths));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  mountQueueBoard(app, config);
  // The console is a page like any other; its key stays in the browser's session storage and goes only to /v1.
  // It runs only its own scripts, talks only to this origin and is framed by no one; the pictures it
  // previews live on the content's own hosts.
  app.use(
    '/console',
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'img-src': ["'self'", 'data:', 'https:', 'http:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          'connect-src': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
    }),
    expressStaticGzip(CONSOLE_DIR, {
      enableBrotli: true,
      orderPreference: ['br', 'gz'],
      serveStatic: {
        // Hashed names never change their content: kept for a year. index.html names the current ones: asked again each time.
        setHeaders: (response, path) =>
          response.setHeader(
            'Cache-Control',
            path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
          ),
      },
    }),
  );
}

export async function startApp(config: AppConfig): Promise<StartedApp> {
  // Before any module connects or creates anything: an unreachable Redis would otherwise retry for
  // ever, an unreachable MySQL print stack traces for half a minute, a taken port or prefix leave a new database behind.
  await preflight(config);
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
  // No enableShutdownHooks(): main.ts closes the app on SIGTERM, and two closes at once would end
  // the database pool twice (an error logged on every clean stop).
  setUpHttp(app, config);
  handleParserErrors(app.getHttpServer() as Server);
  await app.listen(config.port, '0.0.0.0');
  return { role: config.role, app };
}
