import { removeCanary } from './canary';

export default async function globalTeardown(): Promise<void> {
  await removeCanary();
}
