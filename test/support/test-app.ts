import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { startApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { contractChecker } from './contract';
import { deleteRedisPrefix, dropDatabase, removeMediaCache } from './cleanup';
import { ADMIN_KEY, NO_GLOBAL_POLICY, isolatedEnv } from './test-env';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  http: TestAgent;
  /** Requests with a bearer key already set. */
  as(key: string): RequestWith;
  admin: RequestWith;
  close(): Promise<void>;
}

type Method = 'get' | 'post' | 'patch' | 'delete' | 'put';
export type RequestWith = Record<Method, (path: string) => request.Test>;

/** The agent with every request's answer checked against the OpenAPI document. */
function checkedAgent(http: TestAgent, check: (response: request.Response) => void): TestAgent {
  return new Proxy(http, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !CHECKED.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => request.Test).apply(target, args).expect(check);
    },
  });
}

const CHECKED = new Set(['get', 'post', 'put', 'patch', 'delete']);

function withKey(http: TestAgent, key: string): RequestWith {
  const make = (method: Method) => (path: string) => http[method](path).set('Authorization', `Bearer ${key}`);
  return { get: make('get'), post: make('post'), patch: make('patch'), delete: make('delete'), put: make('put') };
}

/**
 * The real application (api role) on its own database and Redis prefix, listening on a free
 * port. Its global policy is removed unless `shippedPolicy` keeps the shipped one.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { shippedPolicy?: boolean } = {},
): Promise<TestApp> {
  const config = loadConfig(isolatedEnv(env));
  const started = await startApp(config);
  if (started.role === 'worker') throw new Error('createTestApp needs an HTTP role');
  const app = started.app;
  const raw = request(app.getHttpServer());
  const document = (await raw.get('/docs/openapi.json').expect(200)).body as Parameters<typeof contractChecker>[0];
  const http = checkedAgent(raw, contractChecker(document));
  if (!options.shippedPolicy) await withKey(http, ADMIN_KEY).put('/v1/policies').send(NO_GLOBAL_POLICY).expect(200);
  return {
    app,
    config,
    http,
    as: (key) => withKey(http, key),
    admin: withKey(http, ADMIN_KEY),
    close: async () => {
      await app.close();
      await dropDatabase(config.databaseUrl);
      await deleteRedisPrefix(config.queuePrefix, config);
      await removeMediaCache(config.mediaCacheDir);
    },
  };
}
