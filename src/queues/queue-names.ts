/** Every queue the service uses; a worker refuses to start unless each has a processor. */
export const QueueName = {
  System: 'system',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

/** Job names and payloads per queue: producers and processors share these types. */
export interface JobPayloads {
  [QueueName.System]: {
    heartbeat: Record<string, never>;
  };
}

export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobOf<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];
