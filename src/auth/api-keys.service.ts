import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { In, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../common/domain-error';
import { ApiKey } from './api-key.entity';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { Principal } from './roles';

export const BOOTSTRAP_ADMIN_KEY_ID = 'bootstrap-admin';
const KEY_PREFIX_LENGTH = 12;
/** How long another process may still accept a key revoked elsewhere. */
export const KEY_CACHE_TTL_MS = 10_000;
const UNKNOWN_KEY_CACHE_TTL_MS = 5_000;
/** How often, at most, a throttled address makes this process read the list of keys. */
const ALL_KEYS_TTL_MS = 1_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toDto(key: ApiKey): ApiKeyDto {
  return { id: key.id, name: key.name, role: key.role, keyPrefix: key.keyPrefix, createdAt: key.createdAt };
}

@Injectable()
export class ApiKeysService {
  private readonly adminKeyHash?: Buffer;
  private readonly known = new LRUCache<string, Principal>({ max: 10_000, ttl: KEY_CACHE_TTL_MS });
  /** Keys just found unknown: a burst of guesses costs one lookup each, not one per request. */
  private readonly unknown = new LRUCache<string, true>({ max: 10_000, ttl: UNKNOWN_KEY_CACHE_TTL_MS });
  private everyKey?: { at: number; keys: Promise<Map<string, Principal>> };

  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminKeyHash = config.adminApiKey ? Buffer.from(hashApiKey(config.adminApiKey), 'hex') : undefined;
  }

  /**
   * The key's principal. `throttled` (its address presented too many unknown keys) looks the key up
   * in the list of every key, read at most once a second however many guesses arrive, rather than
   * in the database per request: guessing costs the database nothing more, and a valid key from a
   * busy address (an office behind one NAT) still gets in.
   */
  async authenticate(presentedKey: string, throttled = false): Promise<Principal | undefined> {
    const hash = hashApiKey(presentedKey);
    if (this.adminKeyHash && timingSafeEqual(this.adminKeyHash, Buffer.from(hash, 'hex'))) {
      return { keyId: BOOTSTRAP_ADMIN_KEY_ID, role: 'admin' };
    }
    const cached = this.known.get(hash);
    if (cached) return cached;
    if (throttled) {
      const principal = (await this.allKeys()).get(hash);
      if (principal) this.known.set(hash, principal);
      return principal;
    }
    if (this.unknown.has(hash)) return undefined;
    const key = await this.keys.findOne({ where: { keyHash: hash }, select: ['id', 'role'] });
    if (!key) {
      this.unknown.set(hash, true);
      return undefined;
    }
    const principal: Principal = { keyId: key.id, role: key.role };
    this.known.set(hash, principal);
    return principal;
  }

  /** Each key's name by its id (a revoked key's is gone): who wrote a revision, as people read it. */
  async names(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)].filter((id) => id !== BOOTSTRAP_ADMIN_KEY_ID);
    const rows = unique.length ? await this.keys.find({ where: { id: In(unique) }, select: ['id', 'name'] }) : [];
    const names = new Map(rows.map((k) => [k.id, k.name]));
    if (ids.includes(BOOTSTRAP_ADMIN_KEY_ID)) names.set(BOOTSTRAP_ADMIN_KEY_ID, 'admin');
    return names;
  }

  /** Every key by its hash, read again when older than a second (one read for all who ask meanwhile). */
  private allKeys(): Promise<Map<string, Principal>> {
    if (this.everyKey && Date.now() - this.everyKey.at < ALL_KEYS_TTL_MS) return this.everyKey.keys;
    const keys = this.keys
      .find({ select: ['id', 'role', 'keyHash'] })
      .then((rows) => new Map(rows.map((k): [string, Principal] => [k.keyHash, { keyId: k.id, role: k.role }])));
    this.everyKey = { at: Date.now(), keys };
    keys.catch(() => (this.everyKey = undefined));
    return keys;
  }

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const secret = `gck_${randomBytes(32).toString('base64url')}`;
    const key = await this.keys.save(
      this.keys.create({
        name: dto.name,
        role: dto.role,
        keyHash: hashApiKey(secret),
        keyPrefix: secret.slice(0, KEY_PREFIX_LENGTH),
      }),
    );
    this.everyKey = undefined;
    return { ...toDto(key), key: secret };
  }

  async list(): Promise<ApiKeyDto[]> {
    const keys = await this.keys.find({ order: { createdAt: 'ASC' } });
    return keys.map(toDto);
  }

  async remove(id: string): Promise<void> {
    const result = await this.keys.delete({ id });
    if (!result.affected) throw DomainError.notFound('api key', id);
    this.everyKey = undefined;
    for (const [hash, principal] of this.known.entries()) {
      if (principal.keyId === id) this.known.delete(hash);
    }
  }
}
