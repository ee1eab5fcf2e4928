import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where a key is kept when SECRETS_KEYS is not set: outside any checkout, readable by this user only. */
export const DEFAULT_KEY_FILE = join(homedir(), '.config', 'groupcast', 'secrets-keys');

/**
 * The environment with SECRETS_KEYS taken from a local key file when it does not set them, the
 * file made with a new key on the first start; so credentials and addresses are sealed at rest
 * by default. SECRETS_KEYS, when set, wins; `created` names a file this call made.
 */
export function withLocalSecretsKey(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; created?: string } {
  if (env.SECRETS_KEYS || env.NODE_ENV === 'production') return { env };
  const file = env.SECRETS_KEY_FILE || DEFAULT_KEY_FILE;
  let created: string | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // `wx`: of two processes starting together, one writes the key and the other reads it.
    writeFileSync(file, `k1:${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    created = file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { env: { ...env, SECRETS_KEYS: readFileSync(file, 'utf8').trim() }, created };
}
