export const HEARTBEAT_KEY = 'system:heartbeat';

export interface Heartbeat {
  at: string;
  worker: string;
}
