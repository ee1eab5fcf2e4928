import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValueTransformer } from 'typeorm';

const PREFIX = 'sealed:v1:';
const SEALED = /^sealed:v1:([A-Za-z0-9_-]{1,16}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

export interface SecretKey {
  id: string;
  /** 32 bytes: AES-256. */
  key: Buffer;
}

/**
 * AES-256-GCM for secrets at rest. The first key seals; every key opens what it sealed, so a new
 * key can be put first while the old ones still read the rows not yet sealed again. A sealed
 * value carries its key id: `sealed:v1:<key id>:<iv>:<tag>:<ciphertext>`, base64url.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(private readonly order: SecretKey[]) {
    if (order.length === 0) throw new Error('a secret box needs a key');
    this.keys = new Map(order.map((k) => [k.id, k.key]));
  }

  get currentKeyId(): string {
    return this.order[0].id;
  }

  seal(plain: string): string {
    const { id, key } = this.order[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${id}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`;
  }

  open(sealed: string): string {
    const match = SEALED.exec(sealed);
    if (!match) throw new Error('not a sealed value');
    const [, id, iv, tag, data] = match;
    const key = this.keys.get(id);
    if (!key) throw new Error(`sealed with key ${id}, which SECRETS_KEYS does not hold`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** The key id a stored value was sealed with; null for a value stored in clear. */
export function sealedWith(stored: unknown): string | null {
  return typeof stored === 'string' ? (SEALED.exec(stored)?.[1] ?? null) : null;
}

let box: SecretBox | undefined;

/** The keys of this process, set once at start from SECRETS_KEYS; without them secrets are stored in clear. */
export function useSecretBox(next: SecretBox | undefined): void {
  box = next;
}

/**
 * A JSON column that holds secrets: sealed when written (if keys are configured), opened when
 * read; a value still in clear (written before keys were set) reads as it is.
 */
export const sealedJson: ValueTransformer = {
  to: (value: unknown) => (value === null || value === undefined || !box ? value : box.seal(JSON.stringify(value))),
  from: (stored: unknown) => {
    if (typeof stored !== 'string' || !stored.startsWith(PREFIX)) return stored;
    if (!box) throw new Error('a secret is sealed but SECRETS_KEYS is not set');
    return JSON.parse(box.open(stored)) as unknown;
  },
};
