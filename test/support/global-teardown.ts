import { removeCanary } from './canary';

export default async function globalTeardown(): Promise<void> {
  if (!process.env.GROUPCAST_CANARY_HELD) await removeCanary();
}
