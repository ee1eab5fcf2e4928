import { cpus } from 'node:os';
import { deleteRedisPrefix, dropDatabase } from '../test/support/cleanup';
import { ServiceProcess } from '../test/support/service-process';
import { ADMIN_KEY, isolatedEnv } from '../test/support/test-env';
import { exampleFields } from '../test/support/factories';
import { load, report } from './report';

const PIECES = 500;

/**
 * GET /v1/content and POST /v1/content/:id/preview at 50 connections against the built service
 * in its own process; the baseline is /health/live on the same server (routing, no auth, no I/O).
 */
export async function contentApi(): Promise<void> {
  const env = isolatedEnv({ ROLE: 'api', LOG_LEVEL: 'warn', API_RATE_LIMIT_PER_MINUTE: '100000000' });
  const service = new ServiceProcess({ ...env, LOG_LEVEL: 'info' });
  try {
    const port = Number((await service.waitFor(/listening on port (\d+)/))[1]);
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
    let pieceId = '';
    for (let i = 0; i < PIECES; i++) {
      const response = await fetch(`${base}/v1/content`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ kind: 'morning_brief', title: `早报 ${i}`, fields: exampleFields('morning_brief'), tags: [`t${i % 10}`] }),
      });
      if (response.status !== 201) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
      pieceId = ((await response.json()) as { id: string }).id;
    }
    const baseline = await load('GET /health/live (baseline)', { url: `${base}/health/live` });
    const list = await load('GET /v1/content?pageSize=20', { url: `${base}/v1/content?pageSize=20`, headers });
    const preview = await load('POST /v1/content/:id/preview', {
      url: `${base}/v1/content/${pieceId}/preview`,
      method: 'POST',
      headers,
      body: JSON.stringify({ format: 'markdown', group: { name: '杭州宝妈群', timezone: 'Asia/Shanghai', vars: { persona: '小当家' } } }),
    });
    const ratio = (r: { requestsPerSecond: number }) => r.requestsPerSecond / baseline.requestsPerSecond;
    report('content-api', [baseline, { ...list, vsBaseline: ratio(list) }, { ...preview, vsBaseline: ratio(preview) }], {
      pieces: PIECES,
      connections: 50,
      seconds: 10,
      cpus: cpus().length,
    });
  } finally {
    await service.stop();
    await dropDatabase(env.DATABASE_URL);
    await deleteRedisPrefix(env.QUEUE_PREFIX);
  }
}
