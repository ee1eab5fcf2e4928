import { CHANNEL_TYPES, ChannelType } from '../providers/channel-types';

/** Posts wait in one queue per channel type, so a slow provider does not hold up the others. */
export const POST_QUEUES = Object.fromEntries(CHANNEL_TYPES.map((type) => [type, `posts.${type}`])) as Record<
  ChannelType,
  `posts.${ChannelType}`
>;

/** The queue an external channel's consumer works (created when the first post is handed to it). */
export const externalQueueName = (channelName: string) => `posts.external.${channelName}`;

/** Every queue the service uses; a worker refuses to start unless each has a processor. */
export const QueueName = {
  System: 'system',
  ...POST_QUEUES,
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = [...new Set(Object.values(QueueName))];

export interface DeliverJob {
  postId: string;
}

/** Job names and payloads per queue: producers and processors share these types. */
export type JobPayloads = { [QueueName.System]: { heartbeat: Record<string, never> } } & {
  [Q in (typeof POST_QUEUES)[ChannelType]]: { deliver: DeliverJob };
};

export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobOf<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];
