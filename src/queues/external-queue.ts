import { ConnectionOptions, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { queuePrefix } from '../redis/redis-client';
import { externalQueueName } from './queue-names';

/** The queue an external channel's consumer works, as the service's producers and watchers open it. */
export function openExternalQueue<T = unknown>(
  config: Pick<AppConfig, 'queuePrefix' | 'redisClusterNodes'>,
  connection: ConnectionOptions,
  channelName: string,
): Queue<T> {
  const name = externalQueueName(channelName);
  return new Queue<T>(name, { connection, prefix: queuePrefix(config, name) });
}
